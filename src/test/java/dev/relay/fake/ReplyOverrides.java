package dev.relay.fake;

import io.vertx.core.MultiMap;

/**
 * The {@code x-fake-*} request headers: a caller talking to the fake directly can change the scripted reply with
 * them. A gateway does not forward them, so tests through the gateway script the queue instead.
 */
final class ReplyOverrides {
    static final String STATUS = "x-fake-status";
    static final String DELAY = "x-fake-delay-ms";
    static final String CHUNKS = "x-fake-chunks";
    static final String CUT_AFTER = "x-fake-cut-after";
    static final String RATELIMIT_RESET = "x-fake-ratelimit-reset";
    static final String ERROR_TYPE = "x-fake-error-type";

    private ReplyOverrides() {
    }

    /** The reply as the headers change it; {@code base} itself when they change nothing. */
    static Reply apply(Reply base, MultiMap h) {
        String status = h.get(STATUS);
        String delay = h.get(DELAY);
        String chunks = h.get(CHUNKS);
        String cut = h.get(CUT_AFTER);
        String reset = h.get(RATELIMIT_RESET);
        String errorType = h.get(ERROR_TYPE);
        if (status == null && delay == null && chunks == null && cut == null && reset == null && errorType == null) {
            return base;
        }
        Reply r = base;
        if (status != null) {
            Reply s = Reply.status(Integer.parseInt(status.trim()));
            r = s.usage(r.usage()).model(r.model()).text(r.text()).chunks(r.chunks()).delayMs(r.delayMs())
                    .cutAfter(r.cutAfter()).eventDelayMs(r.eventDelayMs());
        }
        if (delay != null) {
            r = r.delayMs(Long.parseLong(delay.trim()));
        }
        if (chunks != null) {
            r = r.chunks(Integer.parseInt(chunks.trim()));
        }
        if (cut != null) {
            r = r.cutAfter(Integer.parseInt(cut.trim()));
        }
        if (reset != null) {
            r = r.rateLimitReset(Long.parseLong(reset.trim()));
        }
        if (errorType != null) {
            r = r.errorType(errorType.trim());
        }
        return r;
    }
}
