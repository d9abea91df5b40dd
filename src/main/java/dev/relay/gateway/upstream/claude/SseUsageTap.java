package dev.relay.gateway.upstream.claude;

import dev.relay.gateway.StreamTap;
import dev.relay.usage.Usage;
import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Reads usage from an Anthropic SSE stream as it passes (relay.md §6.1/§6.2) without holding the body: only
 * {@code message_start} and {@code message_delta} data lines are parsed. It also rewrites the model in those
 * lines to the model the client asked for (the legacy's model passthrough), which leaves other bytes untouched.
 */
public final class SseUsageTap implements StreamTap {
    private final String clientModel;
    private static final Buffer EMPTY = Buffer.buffer(0);
    private static final byte[] TYPE_PREFIX = "{\"type\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final String[] READ_TYPES = {"message_start", "message_delta", "message_stop", "error"};
    private static final byte[][] READ_TYPE_BYTES = java.util.Arrays.stream(READ_TYPES)
            .map(t -> t.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
    /** Any other event type (content deltas, pings): passed through unread. */
    private static final String OTHER_TYPE = "other";
    private Buffer partial;
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

    /**
     * Feeds one upstream chunk; returns the bytes to send on: the chunk itself when it held only whole lines and
     * nothing was rewritten, otherwise the complete lines (an unterminated last line is held back until its end
     * arrives, so it can still be read and rewritten whole).
     */
    public Buffer process(Buffer chunk) {
        boolean held = partial != null;
        Buffer source = held ? partial.appendBuffer(chunk) : chunk;
        partial = null;
        int len = source.length();
        ByteBuf bytes = source.getByteBuf();
        int base = 0; // Vert.x buffer positions are absolute indices of the underlying ByteBuf
        int lastNewline = len == 0 ? -1 : bytes.forEachByteDesc(base, len, ByteProcessor.FIND_LF);
        if (lastNewline >= 0) {
            lastNewline -= base;
        }
        if (lastNewline < 0) {
            partial = held ? source : chunk.copy();
            return EMPTY;
        }
        Buffer out = null;
        int lineStart = 0;
        int copiedUpTo = 0;
        while (lineStart <= lastNewline) {
            int i = bytes.forEachByte(base + lineStart, lastNewline + 1 - lineStart, ByteProcessor.FIND_LF) - base;
            Buffer replaced = onLine(source, lineStart, i + 1);
            if (replaced != null) {
                if (out == null) {
                    out = Buffer.buffer(len + 64);
                }
                out.appendBuffer(source, copiedUpTo, lineStart - copiedUpTo).appendBuffer(replaced);
                copiedUpTo = i + 1;
            }
            lineStart = i + 1;
        }
        if (lastNewline + 1 < len) {
            partial = source.getBuffer(lastNewline + 1, len);
        }
        if (out == null) {
            return !held && lastNewline + 1 == len ? chunk : source.getBuffer(0, lastNewline + 1);
        }
        return out.appendBuffer(source, copiedUpTo, lastNewline + 1 - copiedUpTo);
    }

    /** Bytes held back at the end of the stream (an unterminated last line). */
    public Buffer drain() {
        Buffer rest = partial == null ? EMPTY : partial;
        partial = null;
        return rest;
    }

    /** Reads one complete line; returns its replacement, or null to send it unchanged. */
    private Buffer onLine(Buffer source, int from, int to) {
        String type = eventType(source, from, to);
        if (type == null) {
            return null;
        }
        switch (type) {
            case "message_stop" -> {
                stopped = true;
                return null;
            }
            case "message_start", "message_delta", "error" -> {
                // parsed below
            }
            default -> {
                return null;
            }
        }
        JsonObject event;
        try {
            event = new JsonObject(source.getString(from + 5, to, "UTF-8").trim());
        } catch (DecodeException e) {
            return null;
        }
        if (type.equals("error")) {
            JsonObject err = event.getJsonObject("error");
            errorMessage = err == null ? "error" : err.getString("message", "error");
            return null;
        }
        if (type.equals("message_start")) {
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
        } else {
            readUsage(event.getJsonObject("usage"), false);
        }
        return null;
    }

    /**
     * The event type of a {@code data: {"type":"…"} } line without decoding it: Anthropic puts {@code type} first.
     * Null for other lines; a data line with another layout is decoded only if it mentions a usage event.
     */
    static String eventType(Buffer source, int from, int to) {
        if (to - from < 8 || source.getByte(from) != 'd' || source.getByte(from + 4) != ':') {
            return null;
        }
        int i = from + 5;
        while (i < to && source.getByte(i) == ' ') {
            i++;
        }
        int prefixEnd = i + TYPE_PREFIX.length;
        if (prefixEnd < to && matches(source, i, TYPE_PREFIX)) {
            int end = prefixEnd;
            while (end < to && source.getByte(end) != '"') {
                end++;
            }
            return knownType(source, prefixEnd, end);
        }
        String text = source.getString(from, to, "UTF-8");
        for (String t : new String[] {"message_start", "message_delta", "message_stop"}) {
            if (text.contains("\"" + t + "\"")) {
                return t;
            }
        }
        return null;
    }

    /** The type among those the tap reads, compared in place: most lines are deltas and need no string. */
    private static String knownType(Buffer source, int from, int to) {
        for (int t = 0; t < READ_TYPES.length; t++) {
            byte[] name = READ_TYPE_BYTES[t];
            if (to - from == name.length && matches(source, from, name)) {
                return READ_TYPES[t];
            }
        }
        return OTHER_TYPE;
    }

    private static boolean matches(Buffer source, int at, byte[] expected) {
        for (int k = 0; k < expected.length; k++) {
            if (source.getByte(at + k) != expected[k]) {
                return false;
            }
        }
        return true;
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
    @Override
    public boolean endedWithError() {
        return errorMessage != null;
    }

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
