package dev.relay.relay.claude;

import dev.relay.usage.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Reads usage from an Anthropic SSE stream as it passes (relay.md §6.1/§6.2) without holding the body: only
 * {@code message_start} and {@code message_delta} data lines are parsed. It also rewrites the model in those
 * lines to the model the client asked for (the legacy's model passthrough), which leaves other bytes untouched.
 */
public final class SseUsageTap {
    private final String clientModel;
    private final Buffer partial = Buffer.buffer();
    private long input;
    private long output;
    private long cacheCreate;
    private long cacheRead;
    private long ephemeral5m;
    private long ephemeral1h;
    private boolean cacheSplitSeen;
    private String upstreamModel;
    private boolean started;
    private boolean stopped;
    private String errorMessage;

    public SseUsageTap(String clientModel) {
        this.clientModel = clientModel;
    }

    /** Feeds one upstream chunk; returns the bytes to send on (the same buffer when nothing was rewritten). */
    public Buffer process(Buffer chunk) {
        boolean rewritten = false;
        Buffer out = null;
        int lineStart = 0;
        int len = chunk.length();
        Buffer source = chunk;
        if (partial.length() > 0) {
            source = partial.copy().appendBuffer(chunk);
            partial.getByteBuf().clear();
            len = source.length();
            rewritten = true; // the carried-over bytes were held back: emit the whole joined text
        }
        out = Buffer.buffer(len + 64);
        for (int i = 0; i < len; i++) {
            if (source.getByte(i) == '\n') {
                Buffer line = source.slice(lineStart, i + 1);
                Buffer replaced = onLine(line);
                if (replaced != line) {
                    rewritten = true;
                }
                out.appendBuffer(replaced);
                lineStart = i + 1;
            }
        }
        if (lineStart < len) {
            // keep an incomplete line until its end arrives, so it can still be read (and rewritten) whole
            partial.appendBuffer(source.slice(lineStart, len));
            rewritten = true;
        }
        return rewritten ? out : chunk;
    }

    /** Bytes held back at the end of the stream (an unterminated last line). */
    public Buffer drain() {
        Buffer rest = partial.copy();
        partial.getByteBuf().clear();
        return rest;
    }

    private Buffer onLine(Buffer line) {
        if (line.length() < 6 || line.getByte(0) != 'd' || line.getByte(4) != ':') {
            return line;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        boolean start = text.contains("\"message_start\"");
        boolean delta = !start && text.contains("\"message_delta\"");
        boolean stop = !start && !delta && text.contains("\"message_stop\"");
        boolean error = !start && !delta && !stop && text.contains("\"error\"");
        if (stop) {
            stopped = true;
            return line;
        }
        if (!start && !delta && !error) {
            return line;
        }
        JsonObject event;
        try {
            event = new JsonObject(text.substring(5).trim());
        } catch (DecodeException e) {
            return line;
        }
        if (error && "error".equals(event.getString("type"))) {
            JsonObject err = event.getJsonObject("error");
            errorMessage = err == null ? "error" : err.getString("message", "error");
            return line;
        }
        if (start) {
            started = true;
            JsonObject message = event.getJsonObject("message");
            if (message != null) {
                readUsage(message.getJsonObject("usage"), true);
                upstreamModel = message.getString("model", upstreamModel);
                if (clientModel != null && upstreamModel != null && !clientModel.equals(upstreamModel)) {
                    message.put("model", clientModel);
                    return Buffer.buffer("data: " + event.encode() + "\n");
                }
            }
        } else if (delta) {
            readUsage(event.getJsonObject("usage"), false);
        }
        return line;
    }

    private void readUsage(JsonObject usage, boolean fromStart) {
        if (usage == null) {
            return;
        }
        if (fromStart || usage.containsKey("input_tokens")) {
            input = number(usage, "input_tokens", input);
        }
        if (usage.containsKey("output_tokens") && !fromStart) {
            output = number(usage, "output_tokens", output);
        }
        cacheCreate = number(usage, "cache_creation_input_tokens", cacheCreate);
        cacheRead = number(usage, "cache_read_input_tokens", cacheRead);
        JsonObject split = usage.getJsonObject("cache_creation");
        if (split != null) {
            ephemeral5m = number(split, "ephemeral_5m_input_tokens", ephemeral5m);
            ephemeral1h = number(split, "ephemeral_1h_input_tokens", ephemeral1h);
            cacheSplitSeen = true;
        }
    }

    private static long number(JsonObject o, String field, long fallback) {
        Object v = o.getValue(field);
        return v instanceof Number n ? n.longValue() : fallback;
    }

    /** True once {@code message_stop} went by: the stream is complete. */
    public boolean complete() {
        return stopped;
    }

    public boolean started() {
        return started;
    }

    /** Message of an in-stream {@code error} event, or null. */
    public String errorMessage() {
        return errorMessage;
    }

    /** Usage seen so far; null when no {@code message_start} arrived (nothing to bill). */
    public Usage usage() {
        if (!started) {
            return null;
        }
        long create = cacheSplitSeen && (ephemeral5m + ephemeral1h) > 0 ? ephemeral5m + ephemeral1h : cacheCreate;
        return new Usage(input, output, create, cacheRead, ephemeral5m, ephemeral1h,
                upstreamModel == null ? clientModel : upstreamModel);
    }
}
