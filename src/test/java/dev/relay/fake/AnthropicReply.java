package dev.relay.fake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import java.nio.charset.StandardCharsets;

/**
 * A {@link Reply} serialized once into byte buffers in the Messages API's format, so answering costs no JSON work:
 * only the message id is spliced in per request. Field order and compact framing follow the capture (fixtures
 * 04/05/10).
 */
final class AnthropicReply implements EncodedReply {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID_MARK = "@@FAKE_MESSAGE_ID@@";
    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream; charset=utf-8");
    private static final CharSequence REQUEST_ID = HttpHeaders.createOptimized("request-id");
    private static final CharSequence UNIFIED_STATUS =
            HttpHeaders.createOptimized("anthropic-ratelimit-unified-status");
    private static final CharSequence UNIFIED_5H_STATUS =
            HttpHeaders.createOptimized("anthropic-ratelimit-unified-5h-status");
    private static final CharSequence ALLOWED = HttpHeaders.createOptimized("allowed");
    private static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");
    /** An SSE stream is cut between two events: nothing of the next one is sent. */
    private static final Buffer NOTHING = Buffer.buffer(0);

    private final Reply reply;
    /** Non-stream message body around the message id. */
    private final Buffer messagePrefix;
    private final Buffer messageSuffix;
    /** message_start event around the message id; the other events are complete. */
    private final Buffer startPrefix;
    private final Buffer startSuffix;
    private final Buffer[] laterEvents;
    private final Buffer countTokensBody;
    private final Buffer errorBody;
    /** The in-stream {@code event: error} frame, or null. */
    private final Buffer streamErrorEvent;
    private final Buffer rawBody;

    AnthropicReply(Reply reply) {
        this.reply = reply;
        String message = json(message(reply));
        int at = message.indexOf(ID_MARK);
        messagePrefix = utf8(message.substring(0, at));
        messageSuffix = utf8(message.substring(at + ID_MARK.length()));

        String start = event("message_start", json(messageStart(reply)));
        int sat = start.indexOf(ID_MARK);
        startPrefix = utf8(start.substring(0, sat));
        startSuffix = utf8(start.substring(sat + ID_MARK.length()));

        int chunks = Math.max(0, reply.chunks());
        laterEvents = new Buffer[chunks + 5];
        int i = 0;
        ObjectNode blockStart = JSON.createObjectNode().put("type", "content_block_start").put("index", 0);
        blockStart.putObject("content_block").put("type", "text").put("text", "");
        laterEvents[i++] = utf8(event("content_block_start", json(blockStart)));
        laterEvents[i++] = utf8(event("ping", "{\"type\":\"ping\"}"));
        ObjectNode delta = JSON.createObjectNode().put("type", "content_block_delta").put("index", 0);
        delta.putObject("delta").put("type", "text_delta").put("text", reply.text());
        Buffer deltaEvent = utf8(event("content_block_delta", json(delta)));
        for (int c = 0; c < chunks; c++) {
            laterEvents[i++] = deltaEvent;
        }
        laterEvents[i++] = utf8(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
        ObjectNode messageDelta = JSON.createObjectNode().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", "end_turn").putNull("stop_sequence");
        messageDelta.putObject("usage").put("output_tokens", reply.usage().outputTokens());
        laterEvents[i++] = utf8(event("message_delta", json(messageDelta)));
        laterEvents[i] = utf8(event("message_stop", "{\"type\":\"message_stop\"}"));

        countTokensBody = utf8("{\"input_tokens\":" + reply.usage().inputTokens() + "}");
        ObjectNode error = JSON.createObjectNode().put("type", "error");
        error.putObject("error").put("type", errorType(reply)).put("message", errorMessage(reply));
        errorBody = utf8(json(error));
        if (reply.streamErrorAfter() >= 0) {
            ObjectNode streamError = JSON.createObjectNode().put("type", "error");
            streamError.putObject("error").put("type", reply.streamErrorType()).put("message",
                    reply.streamErrorMessage());
            streamErrorEvent = utf8(event("error", json(streamError)));
        } else {
            streamErrorEvent = null;
        }
        rawBody = reply.rawBody() == null ? null : utf8(reply.rawBody());
    }

    @Override
    public Reply reply() {
        return reply;
    }

    @Override
    public WireAnswer answer(WireRequest request, MultiMap headers) {
        String id = pad(request.sequence());
        headers.add(REQUEST_ID, "req_fake_" + id);
        if (reply.success()) {
            headers.add(UNIFIED_STATUS, ALLOWED);
            headers.add(UNIFIED_5H_STATUS, ALLOWED);
        } else if (reply.status() == 429) {
            if (reply.rateLimitReset() != null) {
                headers.add("anthropic-ratelimit-unified-reset", String.valueOf(reply.rateLimitReset()));
            }
            headers.add("retry-after", "60");
        }
        if (rawBody != null) {
            return new WireAnswer.Whole(reply.rawContentType(), rawBody);
        }
        if (!reply.success()) {
            return new WireAnswer.Whole(APPLICATION_JSON, errorBody);
        }
        if (request.path().equals(AnthropicWire.COUNT_TOKENS)) {
            return new WireAnswer.Whole(APPLICATION_JSON, countTokensBody);
        }
        String messageId = "msg_fake_" + id;
        if (!StreamRequestDetector.wantsStream(request.body())) {
            return new WireAnswer.Whole(APPLICATION_JSON, splice(messagePrefix, messageId, messageSuffix));
        }
        headers.set(HttpHeaders.CACHE_CONTROL, NO_CACHE);
        return new WireAnswer.Frames(EVENT_STREAM, laterEvents.length + 1, index -> event(index, messageId),
                streamErrorEvent, NOTHING);
    }

    /** The SSE event at this position (0 = message_start), framed {@code event: x\ndata: {...}\n\n}. */
    private Buffer event(int index, String messageId) {
        return index == 0 ? splice(startPrefix, messageId, startSuffix) : laterEvents[index - 1];
    }

    /** The error type sent: the one scripted, else Anthropic's type for the status. */
    static String errorType(Reply reply) {
        if (reply.errorType() != null) {
            return reply.errorType();
        }
        return switch (reply.status()) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 529 -> "overloaded_error";
            default -> "api_error";
        };
    }

    /** The error message sent: the one scripted, else the capture mock's message for the status (fixture 10). */
    static String errorMessage(Reply reply) {
        if (reply.errorMessage() != null) {
            return reply.errorMessage();
        }
        return switch (reply.status()) {
            case 429 -> "mock rate limited";
            case 529 -> "Overloaded";
            case 401 -> "invalid x-api-key";
            default -> "mock error " + reply.status();
        };
    }

    private static ObjectNode message(Reply reply) {
        ObjectNode m = messageHead(reply);
        m.putArray("content").addObject().put("type", "text").put("text", reply.text().repeat(3));
        m.put("stop_reason", "end_turn").putNull("stop_sequence");
        usage(m.putObject("usage"), reply.usage(), reply.usage().outputTokens());
        return m;
    }

    private static ObjectNode messageStart(Reply reply) {
        ObjectNode m = messageHead(reply);
        m.putArray("content");
        m.putNull("stop_reason").putNull("stop_sequence");
        // message_start reports output_tokens 1; the final count comes with message_delta (fixture 05)
        usage(m.putObject("usage"), reply.usage(), 1);
        ObjectNode event = JSON.createObjectNode().put("type", "message_start");
        event.set("message", m);
        return event;
    }

    private static ObjectNode messageHead(Reply reply) {
        return JSON.createObjectNode().put("id", ID_MARK).put("type", "message").put("role", "assistant")
                .put("model", reply.model());
    }

    private static void usage(ObjectNode u, FakeUsage usage, long outputTokens) {
        u.put("input_tokens", usage.inputTokens());
        u.put("cache_creation_input_tokens", usage.cacheCreationInputTokens());
        u.put("cache_read_input_tokens", usage.cacheReadInputTokens());
        if (usage.breakdown()) {
            u.putObject("cache_creation").put("ephemeral_5m_input_tokens", usage.ephemeral5mInputTokens())
                    .put("ephemeral_1h_input_tokens", usage.ephemeral1hInputTokens());
        }
        u.put("output_tokens", outputTokens);
        u.put("service_tier", "standard");
    }

    private static String event(String name, String data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }

    private static Buffer splice(Buffer prefix, String middle, Buffer suffix) {
        byte[] mid = middle.getBytes(StandardCharsets.UTF_8);
        return Buffer.buffer(prefix.length() + mid.length + suffix.length())
                .appendBuffer(prefix).appendBytes(mid).appendBuffer(suffix);
    }

    private static String json(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pad(long seq) {
        String s = Long.toString(seq);
        return s.length() >= 6 ? s : "000000".substring(s.length()) + s;
    }

    private static Buffer utf8(String s) {
        return Buffer.buffer(s.getBytes(StandardCharsets.UTF_8));
    }
}
