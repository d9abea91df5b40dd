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
            object(g, "hashIncrements", w.hashIncrements,
                    (x, key, fields) -> object(x, key, fields, (y, f, by) -> y.writeNumberField(f, by[0])));
            object(g, "hashFloatIncrements", w.hashFloatIncrements,
                    (x, key, fields) -> object(x, key, fields, (y, f, by) -> y.writeNumberField(f, by)));
            object(g, "floatIncrements", w.floatIncrements, (x, key, by) -> x.writeNumberField(key, by));
            object(g, "increments", w.increments, (x, key, by) -> x.writeNumberField(key, by));
            object(g, "apiKeyTouches", w.apiKeyTouches, JsonGenerator::writeStringField);
            object(g, "latestFields", w.latestFields,
                    (x, key, fields) -> object(x, key, fields, JsonGenerator::writeStringField));
            object(g, "records", w.records, UsageWritesCodec::strings);
            strings(g, "billingEvents", w.billingEvents);
            object(g, "expiries", w.expiries, (x, key, seconds) -> x.writeNumberField(key, seconds));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes one member of a JSON object. */
    @FunctionalInterface
    private interface Member<V> {
        void write(JsonGenerator g, String name, V value) throws IOException;
    }

    private static <V> void object(JsonGenerator g, String name, Map<String, V> members, Member<V> member)
            throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, V> e : members.entrySet()) {
            member.write(g, e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String value : values) {
            g.writeString(value);
        }
        g.writeEndArray();
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
