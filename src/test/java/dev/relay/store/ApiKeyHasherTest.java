package dev.relay.store;

import static dev.relay.testsupport.FixtureRedis.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.testsupport.FixtureRedis;
import dev.relay.testsupport.TestServices;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class ApiKeyHasherTest {
    static final String KEY = TestServices.FIXTURE_ENCRYPTION_KEY;

    @Test
    void hashMatchesTheContractVector() {
        assertEquals("ed2cbdb470e2c5cf28c4338b11394e66263b509bf1b3a3f89b373ddf736bdf58",
                ApiKeyHasher.hash("cr_" + "0".repeat(64), "CHANGE-THIS-32-CHARACTER-KEY-NOW"));
    }

    @Test
    void hashOfEveryFixtureRawKeyIsTheStoredHash() {
        int checked = 0;
        for (String folder : List.of("01-api-key-full", "03-groups")) {
            JsonNode secrets = FixtureRedis.read(fixture(folder, "secrets.json"));
            for (var it = secrets.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getKey().startsWith("apikey:")) {
                    continue;
                }
                String raw = e.getValue().path("apiKey").path("plaintext").asText();
                String stored = storedHash(folder, e.getKey());
                assertEquals(stored, ApiKeyHasher.hash(raw, KEY), e.getKey());
                checked++;
            }
        }
        assertEquals(6, checked);
    }

    private static String storedHash(String folder, String key) {
        for (String file : List.of("redis.json", "redis-create-full.json", "redis-create-minimal.json",
                "redis-create-disabled.json", "redis-create-expired.json", "redis-create-activation.json")) {
            java.nio.file.Path path = fixture(folder, file);
            if (path.toFile().exists()) {
                JsonNode added = FixtureRedis.read(path).path("added").path(key);
                if (!added.isMissingNode()) {
                    return added.path("value").path("apiKey").asText();
                }
            }
        }
        throw new AssertionError("no stored hash for " + key);
    }
}
