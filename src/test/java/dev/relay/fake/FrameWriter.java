package dev.relay.fake;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Writes a stream of frames as a real server does: chunked, paced by the reply, stopping while the reader is behind
 * instead of queueing without bound, and failing where the reply says (an in-stream error, a dropped connection).
 */
final class FrameWriter {
    private final Vertx vertx;
    private final UpstreamTraffic traffic;

    FrameWriter(Vertx vertx, UpstreamTraffic traffic) {
        this.vertx = vertx;
        this.traffic = traffic;
    }

    void write(HttpServerRequest request, ServedResponse served, Reply reply, WireAnswer.Frames frames) {
        served.response().setChunked(true);
        writeFrom(request, served, reply, frames, 0);
    }

    private void writeFrom(HttpServerRequest request, ServedResponse served, Reply reply, WireAnswer.Frames frames,
            int from) {
        HttpServerResponse response = served.response();
        int total = frames.count();
        int index = from;
        Future<Void> written = Future.succeededFuture();
        while (index < total) {
            if (reply.cutAfter() >= 0 && index >= reply.cutAfter()) {
                // abrupt end once the frames are on the wire: no final chunk, the client sees the drop mid-stream
                Buffer tail = frames.cutTail();
                Future<Void> last = tail.length() == 0 ? written : response.write(tail);
                last.onComplete(x -> request.connection().close());
                return;
            }
            if (response.closed()) {
                return;
            }
            if (index == reply.streamErrorAfter()) {
                response.end(frames.errorFrame());
                return;
            }
            written = response.write(frames.frame().apply(index));
            traffic.frameWritten();
            index++;
            int next = index;
            if (response.writeQueueFull() && index < total) {
                served.awaitReader(() -> writeFrom(request, served, reply, frames, next));
                return;
            }
            if (reply.eventDelayMs() > 0 && index < total) {
                vertx.setTimer(reply.eventDelayMs(), t -> writeFrom(request, served, reply, frames, next));
                return;
            }
        }
        response.end();
    }
}
