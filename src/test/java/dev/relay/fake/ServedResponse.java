package dev.relay.fake;

import io.vertx.core.http.HttpServerResponse;

/**
 * One response the fake upstream is sending: it leaves the in-flight count once, when it ends or its connection
 * closes, and is counted as held back while its writer waits for the reader. Used on the connection's event loop
 * only.
 */
final class ServedResponse {
    private final HttpServerResponse response;
    private final UpstreamTraffic traffic;
    private boolean finished;
    private boolean waitingForReader;

    ServedResponse(HttpServerResponse response, UpstreamTraffic traffic) {
        this.response = response;
        this.traffic = traffic;
        response.endHandler(v -> finish());
        response.closeHandler(v -> finish());
    }

    HttpServerResponse response() {
        return response;
    }

    /** Stops writing until the reader has caught up with what was written, then runs {@code resume}. */
    void awaitReader(Runnable resume) {
        waitingForReader = true;
        traffic.heldBack(1);
        response.drainHandler(v -> {
            readerCaughtUp();
            resume.run();
        });
    }

    private void finish() {
        readerCaughtUp();
        if (!finished) {
            finished = true;
            traffic.left();
        }
    }

    private void readerCaughtUp() {
        if (waitingForReader) {
            waitingForReader = false;
            traffic.heldBack(-1);
        }
    }
}
