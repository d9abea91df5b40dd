package dev.relay.gateway.api.anthropic;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/**
 * Claude Code's low-value "warmup" and title requests, answered without the upstream and without billing for
 * accounts with {@code interceptWarmup} (relay.md §6.6, utils/warmupInterceptor.js): same detection, same bodies
 * and event order as the legacy.
 */
final class WarmupReply {
    static final String DEFAULT_MODEL = "claude-3-5-sonnet-20241022";
    static final long EVENT_GAP_MS = 20;

    private WarmupReply() {
    }

    static boolean isWarmup(JsonObject body) {
        if (body.getValue("messages") instanceof JsonArray messages) {
            for (Object m : messages) {
                if (!(m instanceof JsonObject message)) {
                    continue;
                }
                Object content = message.getValue("content");
                if (content instanceof JsonArray parts) {
                    for (Object p : parts) {
                        if (p instanceof JsonObject part && "text".equals(part.getValue("type"))
                                && part.getValue("text") instanceof String text && titleOrWarmup(text)) {
                            return true;
                        }
                    }
                } else if (content instanceof String text && titleOrWarmup(text)) {
                    return true;
                }
            }
        }
        return systemText(body.getValue("system")).contains(
                "nalyze if this message indicates a new conversation topic. If it does, extract a 2-3 word title");
    }

    private static boolean titleOrWarmup(String text) {
        return text.contains("Please write a 5-10 word title for the following conversation:") || text.equals("Warmup");
    }

    private static String systemText(Object system) {
        if (system instanceof String s) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        if (system instanceof JsonArray parts) {
            for (Object p : parts) {
                if (p instanceof JsonObject part) {
                    b.append(part.getValue("text") instanceof String t ? t : "");
                } else if (p != null) {
                    b.append(p);
                }
            }
        }
        return b.toString();
    }

    static JsonObject message(String model) {
        return new JsonObject().put("id", messageId()).put("type", "message").put("role", "assistant")
                .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "New Conversation")))
                .put("model", model == null ? DEFAULT_MODEL : model).put("stop_reason", "end_turn")
                .putNull("stop_sequence")
                .put("usage", new JsonObject().put("input_tokens", 10).put("output_tokens", 2));
    }

    /** The seven SSE events, in the legacy's field order; sent {@link #EVENT_GAP_MS} apart. */
    static List<Buffer> streamEvents(String model) {
        String effective = model == null ? DEFAULT_MODEL : model;
        return List.of(
                event("message_start", new JsonObject().put("message", new JsonObject().put("content", new JsonArray())
                        .put("id", messageId()).put("model", effective).put("role", "assistant")
                        .putNull("stop_reason").putNull("stop_sequence").put("type", "message")
                        .put("usage", new JsonObject().put("input_tokens", 10).put("output_tokens", 0)))
                        .put("type", "message_start")),
                event("content_block_start", new JsonObject()
                        .put("content_block", new JsonObject().put("text", "").put("type", "text"))
                        .put("index", 0).put("type", "content_block_start")),
                event("content_block_delta", delta("New")),
                event("content_block_delta", delta(" Conversation")),
                event("content_block_stop", new JsonObject().put("index", 0).put("type", "content_block_stop")),
                event("message_delta", new JsonObject()
                        .put("delta", new JsonObject().put("stop_reason", "end_turn").putNull("stop_sequence"))
                        .put("type", "message_delta")
                        .put("usage", new JsonObject().put("input_tokens", 10).put("output_tokens", 2))),
                event("message_stop", new JsonObject().put("type", "message_stop")));
    }

    private static JsonObject delta(String text) {
        return new JsonObject().put("delta", new JsonObject().put("text", text).put("type", "text_delta"))
                .put("index", 0).put("type", "content_block_delta");
    }

    private static Buffer event(String name, JsonObject data) {
        return Buffer.buffer("event: " + name + "\ndata: " + data.encode() + "\n\n");
    }

    private static String messageId() {
        return "msg_warmup_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }
}
