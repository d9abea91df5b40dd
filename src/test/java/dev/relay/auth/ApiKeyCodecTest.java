package dev.relay.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class ApiKeyCodecTest {

    @Test
    void emptyHashReadsAsDefaults() {
        ApiKey key = ApiKeyCodec.decode(Map.of());
        assertEquals("", key.id());
        assertFalse(key.active());
        assertEquals("all", key.permissions());
        assertEquals("fixed", key.expirationMode());
        assertEquals(30, key.activationDays());
        assertEquals("days", key.activationUnit());
        assertEquals(List.of(), key.restrictedModels());
        assertEquals(0L, key.tokenLimit());
        assertEquals("", key.claudeAccountId());
        assertFalse(key.expired(Instant.now()));
        assertEquals(Map.of(), key.raw());
    }

    @Test
    void emptyStringsAndGarbageDoNotThrow() {
        ApiKey key = ApiKeyCodec.decode(Map.ofEntries(
                Map.entry("id", "k"),
                Map.entry("isActive", "TRUE"),
                Map.entry("permissions", ""),
                Map.entry("tokenLimit", "10abc"),
                Map.entry("concurrencyLimit", "x"),
                Map.entry("rateLimitWindow", ""),
                Map.entry("rateLimitCost", "1e-7"),
                Map.entry("dailyCostLimit", "abc"),
                Map.entry("totalCostLimit", "2.5usd"),
                Map.entry("restrictedModels", "claude-3-opus,claude-3-haiku"),
                Map.entry("allowedClients", "{\"a\":1}"),
                Map.entry("expirationMode", ""),
                Map.entry("activationDays", "0"),
                Map.entry("activationUnit", ""),
                Map.entry("expiresAt", "not a date"),
                Map.entry("fuelBalance", "1.25"),
                Map.entry("fuelNextExpiresAtMs", "1795418509375")));
        assertFalse(key.active(), "only exactly \"true\" is true");
        assertEquals("all", key.permissions());
        assertEquals(10L, key.tokenLimit());
        assertEquals(0, key.concurrencyLimit());
        assertEquals(0, key.rateLimitWindowMinutes());
        assertEquals(1e-7, key.rateLimitCost());
        assertEquals(0.0, key.dailyCostLimit());
        assertEquals(2.5, key.totalCostLimit());
        assertEquals(List.of(), key.restrictedModels(), "non-JSON arrays read as empty, like JSON.parse failing");
        assertEquals(List.of(), key.allowedClients());
        assertEquals("fixed", key.expirationMode());
        assertEquals(0, key.activationDays(), "\"0\" is truthy in JS: no default");
        assertEquals("days", key.activationUnit());
        assertFalse(key.expired(Instant.now()), "an unparseable expiry means never");
        assertEquals(1.25, key.fuelBalance());
        assertEquals(1795418509375L, key.fuelNextExpiresAtMs());
    }

    @Test
    void jsonArraysKeepStringsAndSkipNulls() {
        assertEquals(List.of("a", "1"), dev.relay.store.LegacyValues.jsonStrings("[\"a\",1,null,[\"x\"]]"));
        assertEquals(List.of(), dev.relay.store.LegacyValues.jsonStrings("[\"a\""));
        assertEquals(List.of(), dev.relay.store.LegacyValues.jsonStrings("[]"));
    }
}
