package dev.relay.usage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The spool's file format: one batch as JSON, {@code {"format":1,"instanceId","seq","events", …every part of
 * UsageWrites in its insertion order…}}. Doubles are written with Java's shortest round-trip form, so a decoded
 * batch produces exactly the script operations the original would have.
 */
final class UsageWritesCodec {
    static final int FORMAT = 1;
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A batch as it is stored: whose commit marker it carries and its writes. */
    record Stored(String instanceId, long seq, UsageWrites writes) {
    }

    private UsageWritesCodec() {
    }

    static byte[] encode(String instanceId, long seq, UsageWrites w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("format", FORMAT);
            g.writeStringField("instanceId", instanceId);
            g.writeNumberField("seq", seq);
            g.writeNumberField("events", w.events);
            g.writeObjectFieldStart("hashIncrements");
            for (Map.Entry<String, Map<String, long[]>> key : w.hashIncrements.entrySet()) {
                g.writeObjectFieldStart(key.getKey());
                for (Map.Entry<String, long[]> field : key.getValue().entrySet()) {
                    g.writeNumberField(field.getKey(), field.getValue()[0]);
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeObjectFieldStart("hashFloatIncrements");
            for (Map.Entry<String, Map<String, Double>> key : w.hashFloatIncrements.entrySet()) {
                g.writeObjectFieldStart(key.getKey());
                for (Map.Entry<String, Double> field : key.getValue().entrySet()) {
                    g.writeNumberField(field.getKey(), field.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeObjectFieldStart("floatIncrements");
            for (Map.Entry<String, Double> e : w.floatIncrements.entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("increments");
            for (Map.Entry<String, Long> e : w.increments.entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("apiKeyTouches");
            for (Map.Entry<String, String> e : w.apiKeyTouches.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("latestFields");
            for (Map.Entry<String, Map<String, String>> key : w.latestFields.entrySet()) {
                g.writeObjectFieldStart(key.getKey());
                for (Map.Entry<String, String> field : key.getValue().entrySet()) {
                    g.writeStringField(field.getKey(), field.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeObjectFieldStart("records");
            for (Map.Entry<String, List<String>> e : w.records.entrySet()) {
                g.writeArrayFieldStart(e.getKey());
                for (String json : e.getValue()) {
                    g.writeString(json);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeArrayFieldStart("billingEvents");
            for (String json : w.billingEvents) {
                g.writeString(json);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("expiries");
            for (Map.Entry<String, Long> e : w.expiries.entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** @throws IOException when the bytes are not a batch of this format (a torn or foreign file) */
    static Stored decode(byte[] bytes) throws IOException {
        JsonNode root = MAPPER.readTree(bytes);
        if (root == null || root.path("format").asInt() != FORMAT || !root.path("instanceId").isTextual()
                || !root.path("seq").canConvertToLong()) {
            throw new IOException("not a usage batch of format " + FORMAT);
        }
        UsageWrites w = new UsageWrites();
        w.events = root.path("events").asInt(1);
        root.path("hashIncrements").fields().forEachRemaining(key -> {
            Map<String, long[]> counters = w.counters(key.getKey());
            key.getValue().fields().forEachRemaining(f -> UsageWrites.add(counters, f.getKey(), f.getValue().longValue()));
        });
        root.path("hashFloatIncrements").fields().forEachRemaining(key -> key.getValue().fields()
                .forEachRemaining(f -> w.hincrFloat(key.getKey(), f.getKey(), f.getValue().doubleValue())));
        root.path("floatIncrements").fields().forEachRemaining(e -> w.incrFloat(e.getKey(), e.getValue().doubleValue()));
        root.path("increments").fields().forEachRemaining(e -> w.incr(e.getKey(), e.getValue().longValue()));
        root.path("apiKeyTouches").fields().forEachRemaining(e -> w.touchApiKey(e.getKey(), e.getValue().asText()));
        root.path("latestFields").fields().forEachRemaining(key -> key.getValue().fields()
                .forEachRemaining(f -> w.setLatest(key.getKey(), f.getKey(), f.getValue().asText())));
        root.path("records").fields().forEachRemaining(e -> {
            List<String> list = new ArrayList<>(e.getValue().size());
            e.getValue().forEach(json -> list.add(json.asText()));
            w.records.put(e.getKey(), list);
        });
        root.path("billingEvents").forEach(json -> w.billingEvent(json.asText()));
        root.path("expiries").fields().forEachRemaining(e -> w.expire(e.getKey(), e.getValue().longValue()));
        return new Stored(root.get("instanceId").asText(), root.get("seq").asLong(), w);
    }
}
