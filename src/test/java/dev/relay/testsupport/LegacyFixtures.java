package dev.relay.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the captured legacy fixtures in {@code ../shared/legacy/fixtures} (see INDEX-relay.md for formats). */
public final class LegacyFixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LegacyFixtures() {
    }

    public static JsonNode load(String folder, String file) {
        Path path = Path.of("..", "shared", "legacy", "fixtures", folder, file);
        try {
            return JSON.readTree(path.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read fixture " + path.toAbsolutePath(), e);
        }
    }

    /** A snap.py entry {@code {"type","ttl_ms","value"}} of a changed key, side "before" or "after". */
    public static JsonNode changed(JsonNode diff, String key, String side) {
        JsonNode entry = diff.path("changed").path(key).path(side);
        if (entry.isMissingNode()) {
            throw new AssertionError("fixture has no changed key " + key);
        }
        return entry;
    }

    public static JsonNode added(JsonNode diff, String key) {
        JsonNode entry = diff.path("added").path(key);
        if (entry.isMissingNode()) {
            throw new AssertionError("fixture has no added key " + key);
        }
        return entry;
    }

    /** A hash entry's value as an ordered map. */
    public static Map<String, String> hash(JsonNode entry) {
        Map<String, String> fields = new LinkedHashMap<>();
        entry.path("value").fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue().asText()));
        return fields;
    }
}
