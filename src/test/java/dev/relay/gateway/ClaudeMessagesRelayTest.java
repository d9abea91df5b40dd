package dev.relay.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.fake.Reply;
import dev.relay.testsupport.RelayTestResource;
import dev.relay.testsupport.RelayWorld;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Claude Messages relay end to end: real Redis, the real gateway, a fake Anthropic upstream. */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class ClaudeMessagesRelayTest extends RelayTestBase {
    @jakarta.inject.Inject
    dev.relay.store.ClaudeRelaySettings settings;

    static final String BODY = "{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":1024,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":%s}";


    @Test
    void nonStreamRequestIsRelayedAndBilled() {
        var key = world.key(Map.of());
        String account = world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();

        given().header("x-api-key", key.raw()).contentType("application/json").body(BODY.formatted("false"))
                .when().post("/api/v1/messages?beta=true")
                .then().statusCode(200)
                .body("model", is("claude-sonnet-4-20250514"))
                .body("usage.input_tokens", is(1200));

        assertEquals(RelayWorld.upstreamKeyOf(account), upstream.lastRequest().header("x-api-key"));
        assertEquals("/v1/messages", upstream.lastRequest().path());
        assertEquals("1", awaitField("usage:" + key.id(), "totalRequests"));
        assertEquals("4745", redis.call("HGET", "usage:" + key.id(), "totalAllTokens").toString());
    }

    @Test
    void streamIsPipedAndBilled() {
        var key = world.key(Map.of());
        world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();

        Response response = given().header("x-api-key", key.raw()).contentType("application/json")
                .body(BODY.formatted("true")).when().post("/claude/v1/messages");
        response.then().statusCode(200).header("Content-Type", containsString("text/event-stream"));
        String sse = response.asString();
        assertTrue(sse.contains("event: message_stop"), sse);
        assertEquals(10, sse.split("event: content_block_delta").length - 1);
        assertEquals("1", awaitField("usage:" + key.id(), "totalRequests"));
        assertEquals("345", redis.call("HGET", "usage:" + key.id(), "totalOutputTokens").toString());
    }

    @Test
    void failsOverToTheNextAccountOn529() {
        var key = world.key(Map.of());
        String first = world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        String second = world.consoleAccount(upstream.baseUrl(), 20, Map.of());
        reloadAccounts();
        upstream.nextReplies(Reply.status(529));

        given().header("x-api-key", key.raw()).contentType("application/json").body(BODY.formatted("false"))
                .when().post("/api/v1/messages").then().statusCode(200);

        assertEquals(2, upstream.requests().size());
        assertEquals(RelayWorld.upstreamKeyOf(first), upstream.requests().get(0).header("x-api-key"));
        assertEquals(RelayWorld.upstreamKeyOf(second), upstream.requests().get(1).header("x-api-key"));
        assertEquals("overloaded", redis.call("HGET", "claude_console_account:" + first, "overloadStatus").toString());
    }

    @Test
    void aKeyOfADisabledPortalUserIsRefused() {
        var key = world.key(Map.of("userId", "u1"));
        world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();
        redis.call("SET", "user:u1", "{\"id\":\"u1\",\"username\":\"x\",\"isActive\":false}");
        given().header("x-api-key", key.raw()).contentType("application/json").body(BODY.formatted("false"))
                .when().post("/api/v1/messages").then().statusCode(401)
                .body("error", is("Invalid API key")).body("message", is("User account is disabled"));
        redis.call("SET", "user:u1", "{\"id\":\"u1\",\"username\":\"x\",\"isActive\":true}");
        given().header("x-api-key", key.raw()).contentType("application/json").body(BODY.formatted("false"))
                .when().post("/api/v1/messages").then().statusCode(200);
    }

    @Test
    void claudeCodeOnlyKeysAndTheGlobalSwitchRefuseOtherClients() {
        var onlyClaudeCode = world.key(Map.of("allowedClients", "[\"claude_code\"]"));
        var open = world.key(Map.of());
        world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();
        given().header("x-api-key", onlyClaudeCode.raw()).header("User-Agent", "curl/8").contentType("application/json")
                .body(BODY.formatted("false")).when().post("/api/v1/messages").then().statusCode(403)
                .body("error.type", is("client_validation_error"))
                .body("error.message", is("This endpoint only accepts requests from Claude Code CLI"));
        given().header("x-api-key", open.raw()).header("User-Agent", "curl/8").contentType("application/json")
                .body(BODY.formatted("false")).when().post("/api/v1/messages").then().statusCode(200);

        redis.call("SET", "claude_relay_config", "{\"claudeCodeOnlyEnabled\":true}");
        settings.forget();
        try {
            given().header("x-api-key", open.raw()).header("User-Agent", "curl/8").contentType("application/json")
                    .body(BODY.formatted("false")).when().post("/api/v1/messages").then().statusCode(403)
                    .body("error.type", is("client_validation_error"));
        } finally {
            redis.call("DEL", "claude_relay_config");
            settings.forget();
        }
    }

    @Test
    void meAndOrganizationUsageAnswerFromTheKey() {
        var key = world.key(Map.of("name", "team-a", "tokenLimit", "5000"));
        given().header("x-api-key", key.raw()).when().get("/api/v1/me").then().statusCode(200)
                .body("id", is("user_" + key.id())).body("type", is("user")).body("display_name", is("team-a"));
        given().header("Authorization", "Bearer " + key.raw()).when().get("/claude/v1/organizations/org-1/usage")
                .then().statusCode(200).body("object", is("usage"))
                .body("data[0].type", is("credit_balance")).body("data[0].credit_balance", is(5000));
        given().when().get("/api/v1/me").then().statusCode(401).body("error", is("Missing API key"));
    }

    @Test
    void keyInfoAndUsageReportWhatTheKeyUsed() {
        var key = world.key(Map.of("name", "team-b", "tokenLimit", "100000"));
        world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();
        given().header("x-api-key", key.raw()).contentType("application/json").body(BODY.formatted("false"))
                .when().post("/api/v1/messages").then().statusCode(200);
        awaitField("usage:" + key.id(), "totalRequests");
        given().header("x-api-key", key.raw()).when().get("/api/v1/key-info").then().statusCode(200)
                .body("keyInfo.id", is(key.id())).body("keyInfo.name", is("team-b"))
                .body("keyInfo.tokenLimit", is(100000)).body("keyInfo.usage.total.allTokens", is(4745))
                .body("keyInfo.usage.daily.requests", is(1));
        given().header("x-api-key", key.raw()).when().get("/claude/v1/usage").then().statusCode(200)
                .body("usage.monthly.inputTokens", is(1200)).body("limits.tokens", is(100000))
                .body("limits.requests", is(0));
    }

    @Test
    void warmupRequestsAreAnsweredLocallyOnInterceptingAccounts() {
        var key = world.key(Map.of());
        world.consoleAccount(upstream.baseUrl(), 10, Map.of("interceptWarmup", "true"));
        reloadAccounts();
        String warmup = "{\"model\":\"claude-haiku-4-5-20251001\",\"max_tokens\":16,\"stream\":%s,"
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Warmup\"}]}]}";
        given().header("x-api-key", key.raw()).contentType("application/json").body(warmup.formatted("false"))
                .when().post("/api/v1/messages").then().statusCode(200)
                .body("content[0].text", is("New Conversation")).body("model", is("claude-haiku-4-5-20251001"))
                .body("usage.output_tokens", is(2));
        String sse = given().header("x-api-key", key.raw()).contentType("application/json")
                .body(warmup.formatted("true")).when().post("/api/v1/messages").then().statusCode(200)
                .extract().asString();
        assertTrue(sse.startsWith("event: message_start\n"), sse);
        assertTrue(sse.contains("\"text\":\" Conversation\"") && sse.endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"), sse);
        assertEquals(0, upstream.requests().size(), "the upstream was not called");
        assertEquals(0L, redis.call("EXISTS", "usage:" + key.id()).toLong(), "a warmup is not billed");
        // an ordinary request on the same account still goes upstream
        given().header("x-api-key", key.raw()).contentType("application/json").body(BODY.formatted("false"))
                .when().post("/api/v1/messages").then().statusCode(200);
        assertEquals(1, upstream.requests().size());
    }

    String awaitField(String key, String field) {
        long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline) {
            var value = redis.call("HGET", key, field);
            if (value != null) {
                return value.toString();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return null;
    }
}
