package dev.relay.gateway.upstream.claude;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The profile answer of fixture 11 (upstream seq 118) becomes exactly the {@code subscriptionInfo} the legacy stored. */
@Tag("fast")
class ClaudeProfileTest {
    static final Path FIXTURE = Path.of("..", "shared", "legacy", "fixtures", "11-oauth-claude");

    @Test
    void subscriptionInfoIsTheLegacysByteForByte() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode exchanges = json.readTree(FIXTURE.resolve("http.json").toFile());
        JsonNode profile = null;
        for (JsonNode upstream : exchanges.get(4).get("upstream")) {
            if (upstream.get("path").asText().equals(ClaudeProfile.PATH)) {
                profile = upstream.get("response").get("body");
            }
        }
        String stored = json.readTree(FIXTURE.resolve("redis-refresh.json").toFile()).get("changed")
                .get("claude:account:29ed57d9-d16a-400d-965c-9840cac8d5e4").get("after").get("value")
                .get("subscriptionInfo").asText();
        String fetchedAt = new JsonObject(stored).getString("profileFetchedAt");

        assertEquals(stored, ClaudeProfile.subscriptionInfo(new JsonObject(json.writeValueAsString(profile)), fetchedAt)
                .encode());
    }
}
