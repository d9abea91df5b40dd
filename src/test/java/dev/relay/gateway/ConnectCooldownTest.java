package dev.relay.gateway;

import static dev.relay.gateway.RelayFlow.body;
import static dev.relay.gateway.RelayFlow.post;
import static dev.relay.gateway.RelayFlow.string;
import static dev.relay.gateway.RelayFlow.ttl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.fake.Reply;
import dev.relay.testsupport.RelayTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Console upstream that refuses the connection sits out {@code relay.connect-failure-cooldown-seconds} (here 12)
 * under the legacy's {@code temp_unavailable:claude-console:<id>} key, not the legacy's 300 s; while every account
 * that could serve is cooling down, the client is told so (the legacy's no-account status 500, a message naming the
 * cool-down, {@code retry-after} with the seconds left), not that no account supports its model.
 */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
@TestProfile(ConnectCooldownTest.TwelveSeconds.class)
class ConnectCooldownTest extends RelayTestBase {
    static final long COOLDOWN = 12;

    public static class TwelveSeconds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relay.connect-failure-cooldown-seconds", String.valueOf(COOLDOWN));
        }
    }

    static String deadUpstream() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    @Test
    void aRefusedConnectionMarksTheAccountForTheConfiguredCooldown() throws IOException {
        var key = world.key(Map.of());
        String dead = world.consoleAccount(deadUpstream(), 10, Map.of());
        world.consoleAccount(upstream.baseUrl(), 20, Map.of());
        reloadAccounts();

        post("/api/v1/messages", key.raw(), body(false, "refused", null)).then().statusCode(200);

        String mark = "temp_unavailable:claude-console:" + dead;
        assertEquals("1", string(redis, mark), "the legacy's key and value");
        long left = ttl(redis, mark);
        assertTrue(left > COOLDOWN - 5 && left <= COOLDOWN, "TTL " + left);
    }

    @Test
    void aLoneAccountCoolingDownIsNamedInTheAnswerWithRetryAfter() throws IOException {
        var key = world.key(Map.of());
        String only = world.consoleAccount(deadUpstream(), 10, Map.of());
        reloadAccounts();

        post("/api/v1/messages", key.raw(), body(false, "refused", null)).then().statusCode(502);
        Response cooling = post("/api/v1/messages", key.raw(), body(false, "while cooling", null));

        assertEquals(500, cooling.statusCode(), cooling.asString());
        assertEquals("Relay service error", cooling.jsonPath().getString("error"));
        String message = cooling.jsonPath().getString("message");
        assertTrue(message.contains("cooling down"), message);
        assertTrue(message.contains(RelayFlow.MODEL), message);
        long retryAfter = Long.parseLong(cooling.header("retry-after"));
        assertTrue(retryAfter >= 1 && retryAfter <= COOLDOWN, "retry-after " + retryAfter);
        assertTrue(message.contains("retry in " + retryAfter + " s"), message);
        assertEquals(0, upstream.requests().size(), "nothing reached an upstream while cooling down");

        // the upstream is back and the mark has run out (deleted here instead of waiting for its TTL)
        redis.call("HSET", "claude_console_account:" + only, "apiUrl", upstream.baseUrl());
        redis.call("DEL", "temp_unavailable:claude-console:" + only);
        reloadAccounts();
        post("/api/v1/messages", key.raw(), body(false, "back", null)).then().statusCode(200);
    }

    @Test
    void serverErrorsKeepTheLegacysFiveMinutes() {
        var key = world.key(Map.of());
        String first = world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        world.consoleAccount(upstream.baseUrl(), 20, Map.of());
        reloadAccounts();
        upstream.nextReplies(Reply.status(500));

        post("/api/v1/messages", key.raw(), body(false, "500", null)).then().statusCode(200);

        long left = ttl(redis, "temp_unavailable:claude-console:" + first);
        assertTrue(left > 290 && left <= 300, "TTL " + left);
    }

    @Test
    void anAccountThatDoesNotSupportTheModelStillGetsTheLegacysMessage() {
        var key = world.key(Map.of());
        world.consoleAccount(upstream.baseUrl(), 10, Map.of("supportedModels", "[\"claude-opus-4-20250514\"]"));
        reloadAccounts();

        Response response = post("/api/v1/messages", key.raw(), body(false, "other model", null));

        assertEquals(500, response.statusCode());
        assertEquals("No available Claude accounts support the requested model: " + RelayFlow.MODEL,
                response.jsonPath().getString("message"));
        assertNull(response.header("retry-after"));
    }
}
