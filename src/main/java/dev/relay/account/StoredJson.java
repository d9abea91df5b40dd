package dev.relay.account;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.store.LegacyValues;

/** Lenient field access on Bedrock's JSON account string (redis-keys.md §2.4: JSON types, not strings). */
final class StoredJson implements StoredFields {
    private final JsonNode node;

    private StoredJson(JsonNode node) {
        this.node = node;
    }

    /** The stored object; null when the text is blank, not a JSON object or has no {@code id} (counts as missing). */
    static StoredJson parse(String json) {
        if (LegacyValues.isBlank(json)) {
            return null;
        }
        JsonNode node;
        try {
            node = StoredHash.JSON.readTree(json);
        } catch (Exception e) {
            return null;
        }
        if (node == null || !node.isObject() || node.path("id").asText("").isEmpty()) {
            return null;
        }
        return new StoredJson(node);
    }

    JsonNode node() {
        return node;
    }

    /** The field as text; null and missing read as {@code ""}. */
    @Override
    public String text(String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "" : value.asText();
    }

    @Override
    public boolean active() {
        return flag("isActive", false);
    }

    @Override
    public boolean schedulable() {
        return flag("schedulable", true);
    }

    /** A JSON number, or text parsed like the legacy's parseInt. */
    @Override
    public int priority() {
        JsonNode priority = node.path("priority");
        return priority.isNumber() ? priority.asInt() : (int) LegacyValues.parseInt(priority.asText("50"));
    }

    /** JSON boolean, tolerating the string forms; missing gives the fallback. */
    private boolean flag(String field, boolean fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        return value.isBoolean() ? value.asBoolean() : "true".equals(value.asText());
    }
}
