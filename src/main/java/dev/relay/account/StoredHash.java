package dev.relay.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.store.LegacyValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Lenient field access on a stored account hash (redis-keys.md §2.4 conventions, pitfalls P5 and P11). */
final class StoredHash implements StoredFields {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> raw;

    StoredHash(Map<String, String> fields) {
        this.raw = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    Map<String, String> raw() {
        return raw;
    }

    /** The stored text, {@code ""} when missing. */
    @Override
    public String text(String field) {
        String value = raw.get(field);
        return value == null ? "" : value;
    }

    /** The stored text, or {@code fallback} when missing or {@code ""}. */
    String text(String field, String fallback) {
        String value = raw.get(field);
        return LegacyValues.isBlank(value) ? fallback : value;
    }

    long integer(String field) {
        return LegacyValues.parseInt(raw.get(field));
    }

    /** {@code parseInt(x) || fallback}: missing, empty, unparseable and 0 all give the fallback. */
    int integerOr(String field, int fallback) {
        long value = LegacyValues.parseInt(raw.get(field));
        return value == 0 ? fallback : (int) value;
    }

    /** An integer whose explicit 0 is meaningful; only missing or unparseable text gives the fallback. */
    int integerKeepingZero(String field, int fallback) {
        String value = raw.get(field);
        if (value == null) {
            return fallback;
        }
        String s = value.strip();
        if (s.isEmpty() || !(Character.isDigit(s.charAt(0)) || (s.length() > 1 && s.charAt(0) == '-'
                && Character.isDigit(s.charAt(1))))) {
            return fallback;
        }
        return (int) LegacyValues.parseInt(s);
    }

    double decimal(String field) {
        return LegacyValues.parseFloat(raw.get(field));
    }

    /** Bool strings: exactly {@code true}. */
    boolean flag(String field) {
        return LegacyValues.isTrue(raw.get(field));
    }

    /** {@code schedulable}: anything but exactly {@code false} (including missing) is schedulable. */
    boolean notFalse(String field) {
        return !"false".equals(raw.get(field));
    }

    /** Priority: legacy default 50 for missing/unparseable values. */
    @Override
    public int priority() {
        return integerKeepingZero("priority", 50);
    }

    @Override
    public boolean active() {
        return flag("isActive");
    }

    @Override
    public boolean schedulable() {
        return notFalse("schedulable");
    }

    /**
     * A list of strings stored either as a JSON array or as ioredis's comma-joined array text (Gemini
     * {@code supportedModels}, P11); a JSON value that is not an array reads as empty.
     */
    List<String> stringList(String field) {
        String text = raw.get(field);
        if (LegacyValues.isBlank(text)) {
            return List.of();
        }
        String trimmed = text.strip();
        if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
            return LegacyValues.jsonStrings(trimmed);
        }
        List<String> values = new ArrayList<>();
        for (String part : trimmed.split(",")) {
            if (!part.isBlank()) {
                values.add(part.strip());
            }
        }
        return List.copyOf(values);
    }

    /** Console/CCR {@code supportedModels}: a JSON object is a mapping (values as text); anything else is none. */
    Map<String, String> modelMapping(String field) {
        String text = raw.get(field);
        if (LegacyValues.isBlank(text)) {
            return Map.of();
        }
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
                return Map.of();
            }
            Map<String, String> mapping = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> {
                if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                    mapping.put(e.getKey(), e.getValue().asText());
                }
            });
            return Collections.unmodifiableMap(mapping);
        } catch (Exception e) {
            return Map.of();
        }
    }

    /** Console/CCR legacy array form of {@code supportedModels}. */
    List<String> modelAllowList(String field) {
        String text = raw.get(field);
        if (LegacyValues.isBlank(text) || !text.strip().startsWith("[")) {
            return List.of();
        }
        return LegacyValues.jsonStrings(text.strip());
    }
}
