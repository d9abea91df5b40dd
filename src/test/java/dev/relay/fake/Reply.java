package dev.relay.fake;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the fake upstream answers to one request, independent of the provider: a status, the content (model, text,
 * chunks, usage), timing (delay, pause between events) and faults (a cut, an in-stream error). The upstream's
 * {@link WireFormat} renders it in its provider's format; {@link AnthropicWire} says what each field becomes there.
 * Immutable: every modifier returns a copy, so a reply can be reused as a template
 * ({@code Reply.status(429).rateLimitReset(t)}).
 */
public final class Reply {
    /** The model the capture's mock upstream reported (fixtures 04/05). */
    public static final String DEFAULT_MODEL = "claude-sonnet-4-20250514";
    /** The text of one content_block_delta in fixture 05 (the non-stream text is it three times). */
    public static final String DEFAULT_TEXT = "Hello from the fixture mock. ";

    private int status = 200;
    private long delayMs;
    private int chunks = 10;
    private int cutAfter = -1;
    private long eventDelayMs;
    private FakeUsage usage = FakeUsage.FIXTURE;
    private String model = DEFAULT_MODEL;
    private String text = DEFAULT_TEXT;
    private String errorType;
    private String errorMessage;
    private Long rateLimitReset;
    private int streamErrorAfter = -1;
    private String streamErrorType;
    private String streamErrorMessage;
    private String rawContentType;
    private String rawBody;
    private List<Map.Entry<String, String>> headers = List.of();

    private Reply() {
    }

    /** 200: a message, or an SSE stream when the request asked for one. */
    public static Reply ok() {
        return new Reply();
    }

    /** Any status; non-2xx answers with the provider's error of {@link #errorType(String)} (default per status). */
    public static Reply status(int status) {
        Reply r = new Reply();
        r.status = status;
        return r;
    }

    /** An extra response header (sent after the standard ones). */
    public Reply header(String name, String value) {
        Reply r = copy();
        List<Map.Entry<String, String>> h = new ArrayList<>(headers);
        h.add(new SimpleImmutableEntry<>(name, value));
        r.headers = List.copyOf(h);
        return r;
    }

    /** Waits this long after the request body arrived before sending the status line. */
    public Reply delayMs(long ms) {
        Reply r = copy();
        r.delayMs = ms;
        return r;
    }

    /** Number of content deltas of a stream (default 10, as fixture 05's content_block_delta events). */
    public Reply chunks(int count) {
        Reply r = copy();
        r.chunks = count;
        return r;
    }

    /**
     * Closes the connection abruptly after this many stream events (counting every event from the first, e.g.
     * Anthropic's message_start); a non-stream reply is cut after half of its body. Negative = never.
     */
    public Reply cutAfter(int events) {
        Reply r = copy();
        r.cutAfter = events;
        return r;
    }

    /**
     * After this many stream events, sends the provider's in-stream error (Anthropic: {@code event: error} +
     * {@code {"type":"error","error":{..}}}) and ends the stream normally (HTTP 200 already sent), as the real API
     * does when it fails mid-stream (relay.md §6.1).
     */
    public Reply streamError(int afterEvents, String type, String message) {
        Reply r = copy();
        r.streamErrorAfter = afterEvents;
        r.streamErrorType = type;
        r.streamErrorMessage = message;
        return r;
    }

    /** Pause between two stream events, to keep a stream open for a while. */
    public Reply eventDelayMs(long ms) {
        Reply r = copy();
        r.eventDelayMs = ms;
        return r;
    }

    public Reply usage(FakeUsage value) {
        Reply r = copy();
        r.usage = value;
        return r;
    }

    public Reply model(String value) {
        Reply r = copy();
        r.model = value;
        return r;
    }

    /** Text of each delta (a non-stream body carries it three times). */
    public Reply text(String value) {
        Reply r = copy();
        r.text = value;
        return r;
    }

    public Reply errorType(String value) {
        Reply r = copy();
        r.errorType = value;
        return r;
    }

    public Reply errorMessage(String value) {
        Reply r = copy();
        r.errorMessage = value;
        return r;
    }

    /**
     * Unix seconds of the rate limit's reset, sent with a 429 (Anthropic: {@code anthropic-ratelimit-unified-reset},
     * fixture 10).
     */
    public Reply rateLimitReset(long unixSeconds) {
        Reply r = copy();
        r.rateLimitReset = unixSeconds;
        return r;
    }

    /** Sends exactly this body instead of the generated one (e.g. an HTML proxy error page). */
    public Reply rawBody(String contentType, String body) {
        Reply r = copy();
        r.rawContentType = contentType;
        r.rawBody = body;
        return r;
    }

    public int status() {
        return status;
    }

    public long delayMs() {
        return delayMs;
    }

    public int chunks() {
        return chunks;
    }

    public int cutAfter() {
        return cutAfter;
    }

    public long eventDelayMs() {
        return eventDelayMs;
    }

    public FakeUsage usage() {
        return usage;
    }

    public String model() {
        return model;
    }

    public String text() {
        return text;
    }

    /** The error type scripted; null leaves the provider's type for the status. */
    public String errorType() {
        return errorType;
    }

    /** The error message scripted; null leaves the provider's message for the status. */
    public String errorMessage() {
        return errorMessage;
    }

    /** Events before the in-stream error event; negative = no error event. */
    public int streamErrorAfter() {
        return streamErrorAfter;
    }

    public String streamErrorType() {
        return streamErrorType;
    }

    public String streamErrorMessage() {
        return streamErrorMessage;
    }

    public Long rateLimitReset() {
        return rateLimitReset;
    }

    public String rawContentType() {
        return rawContentType;
    }

    public String rawBody() {
        return rawBody;
    }

    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    public boolean success() {
        return status >= 200 && status < 300;
    }

    private Reply copy() {
        Reply r = new Reply();
        r.status = status;
        r.delayMs = delayMs;
        r.chunks = chunks;
        r.cutAfter = cutAfter;
        r.eventDelayMs = eventDelayMs;
        r.usage = usage;
        r.model = model;
        r.text = text;
        r.errorType = errorType;
        r.errorMessage = errorMessage;
        r.rateLimitReset = rateLimitReset;
        r.streamErrorAfter = streamErrorAfter;
        r.streamErrorType = streamErrorType;
        r.streamErrorMessage = streamErrorMessage;
        r.rawContentType = rawContentType;
        r.rawBody = rawBody;
        r.headers = headers;
        return r;
    }

    @Override
    public String toString() {
        return "Reply[status=" + status + ", chunks=" + chunks + ", delayMs=" + delayMs + ", cutAfter=" + cutAfter
                + ", headers=" + headers + "]";
    }
}
