package dev.relay.gateway;

import static dev.relay.gateway.RelayFlow.body;
import static dev.relay.gateway.RelayFlow.post;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.fake.FakeAnthropic;
import dev.relay.fake.Reply;
import dev.relay.store.LegacyClock;
import dev.relay.testsupport.RelayTestResource;
import dev.relay.testsupport.RelayWorld.SeededKey;
import dev.relay.scheduler.SessionHash;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 20, point by point, for stream and whole answers: the upstream's response headers reach the client (less
 * the connection's and the account's own) on success and on errors before the first byte; upstream error bodies
 * pass unedited unless they would name the account; count_tokens against an upstream without it is answered
 * honestly; the anthropic-* family reaches the Console upstream; the root paths; a pool that is only rate-limited
 * says when it is back.
 */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class GatewayContractTest extends RelayTestBase {
    static FakeAnthropic noCountTokens;

    SeededKey key;

    @BeforeAll
    static void startSecondUpstream() {
        noCountTokens = FakeAnthropic.withoutCountTokens();
        noCountTokens.start();
    }

    @AfterAll
    static void stopSecondUpstream() {
        noCountTokens.close();
    }

    @BeforeEach
    void seed() {
        noCountTokens.reset();
        key = world.key(Map.of());
    }

    // ------------------------------------------------------------- 1. upstream headers, stream and whole alike

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void upstreamHeadersReachTheClientOnASuccess(boolean stream) {
        world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();
        upstream.nextReplies(Reply.ok().header("anthropic-ratelimit-unified-5h-utilization", "0.42")
                .header("x-envoy-upstream-service-time", "17").header("anthropic-organization-id", "org-secret")
                .header("set-cookie", "session=account-cookie"));

        Response response = post("/api/v1/messages?beta=true", key.raw(), body(stream, "headers", null));

        assertEquals(200, response.statusCode(), response.asString());
        assertTrue(response.getHeader("request-id").startsWith("req_fake_"), "request-id");
        assertEquals("allowed", response.getHeader("anthropic-ratelimit-unified-status"));
        assertEquals("0.42", response.getHeader("anthropic-ratelimit-unified-5h-utilization"));
        assertEquals("17", response.getHeader("x-envoy-upstream-service-time"));
        assertNull(response.getHeader("anthropic-organization-id"), "names the account's organisation");
        assertNull(response.getHeader("set-cookie"), "the account's cookie");
        assertTrue(response.getHeader("X-Request-ID") != null, "relay's own headers stay");
        assertEquals(stream ? "text/event-stream" : "application/json",
                response.getHeader("Content-Type").split(";")[0]);
        if (stream) {
            assertTrue(response.asString().contains("event: message_stop"));
            assertEquals("no-cache", response.getHeader("Cache-Control"));
        }
    }

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void upstreamHeadersReachTheClientOnAnErrorBeforeTheFirstByte(boolean stream) {
        world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();
        long reset = Instant.now().plusSeconds(3600).getEpochSecond();
        upstream.nextReplies(Reply.status(429).rateLimitReset(reset).header("x-should-retry", "true")
                .header("anthropic-ratelimit-unified-status", "rejected"));

        Response response = post("/api/v1/messages", key.raw(), body(stream, "limited", null));

        assertEquals(429, response.statusCode(), response.asString());
        assertEquals("60", response.getHeader("retry-after"));
        assertEquals("true", response.getHeader("x-should-retry"));
        assertEquals(String.valueOf(reset), response.getHeader("anthropic-ratelimit-unified-reset"));
        assertEquals("rejected", response.getHeader("anthropic-ratelimit-unified-status"));
        assertTrue(response.getHeader("request-id").startsWith("req_fake_"));
        assertTrue(response.getHeader("Content-Type").startsWith("application/json"), "an error, not a stream");
        assertEquals("rate_limit_error", new JsonObject(response.asString()).getJsonObject("error").getString("type"));
    }

    // ------------------------------------------------------------- 5. error bodies unedited

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void anUpstreamErrorBodyPassesByteForByte(boolean stream) {
        world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();
        String error = "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"prompt is too "
                + "long: 210000 tokens > 200000 maximum. Please refer to: https://docs.claude.com/en/api/errors. You "
                + "can see the legacy limits there.\"},\"request_id\":\"req_011\"}";
        upstream.nextReplies(Reply.status(400).rawBody("application/json", error));

        Response response = post("/api/v1/messages", key.raw(), body(stream, "too long", null));

        assertEquals(400, response.statusCode());
        assertEquals(error, response.asString(), "no model stamp, no cut link, no cut word");
    }

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void whatWouldNameTheAccountIsTakenOut(boolean stream) {
        world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();
        upstream.nextReplies(Reply.status(403).errorMessage(
                "key sk-ant-api03-leakedleakedleaked is over quota, visit https://packycode.example/billing today"));

        Response response = post("/api/v1/messages", key.raw(), body(stream, "quota", null));

        assertEquals(403, response.statusCode());
        JsonObject json = new JsonObject(response.asString());
        assertEquals("key [redacted] is over quota, today", json.getJsonObject("error").getString("message"));
        assertFalse(json.containsKey("model"));
    }

    // ------------------------------------------------------------- 3. count_tokens never fabricates

    @Test
    void countTokensAgainstAnUpstreamWithoutItIsNotSupportedNotZero() {
        String account = world.consoleAccount(noCountTokens.baseUrl(), 10, Map.of());
        reloadAccounts();

        Response first = post("/api/v1/messages/count_tokens", key.raw(), body(false, "count me", null));

        assertEquals(501, first.statusCode(), first.asString());
        assertEquals("not_supported", new JsonObject(first.asString()).getJsonObject("error").getString("type"));
        assertEquals("false", first.getHeader("x-should-retry"));
        assertEquals(1, noCountTokens.requests().size());
        assertEquals("/v1/messages/count_tokens", noCountTokens.lastRequest().path());
        assertEquals("true", RelayFlow.field(redis, "claude_console_account:" + account, "countTokensUnavailable"));

        reloadAccounts();
        Response again = post("/api/v1/messages/count_tokens", key.raw(), body(false, "count me", null));
        assertEquals(501, again.statusCode());
        assertEquals(1, noCountTokens.requests().size(), "the flagged account is not asked again");
        // messages still go to it
        post("/api/v1/messages", key.raw(), body(false, "hi", null)).then().statusCode(200);
        assertEquals(2, noCountTokens.requests().size());
    }

    @Test
    void anAccountThatCannotCountIsSkippedForOneThatCan() {
        String flagged = world.consoleAccount(noCountTokens.baseUrl(), 10, Map.of("countTokensUnavailable", "true"));
        String counting = world.consoleAccount(upstream.baseUrl(), 20, Map.of());
        reloadAccounts();
        String session = "user_" + "a".repeat(64) + "_account__session_11111111-2222-3333-4444-555555555555";
        String request = body(false, "count me", session);

        Response response = post("/api/v1/messages/count_tokens", key.raw(), request);

        assertEquals(200, response.statusCode(), response.asString());
        assertEquals(1200, new JsonObject(response.asString()).getInteger("input_tokens"));
        assertEquals(0, noCountTokens.requests().size());
        assertEquals(RelayFlow.keyOf(counting), RelayFlow.servedBy(upstream, 0));
        assertEquals("", redis.call("HGET", "claude_console_account:" + flagged, "rateLimitStatus").toString(),
                "a skipped account is not marked");
        assertNull(redis.call("GET", "temp_unavailable:claude-console:" + flagged));
        String mapping = RelayFlow.string(redis, "unified_claude_session_mapping:"
                + SessionHash.of(new JsonObject(request)));
        assertTrue(mapping.contains(flagged), "the session stays with its account for messages: " + mapping);
    }

    @Test
    void anAccountFoundWithoutCountTokensIsFlaggedAndAnotherOneCounts() {
        String lacking = world.consoleAccount(noCountTokens.baseUrl(), 10, Map.of());
        String counting = world.consoleAccount(upstream.baseUrl(), 20, Map.of());
        reloadAccounts();

        Response response = post("/api/v1/messages/count_tokens", key.raw(), body(false, "count me", null));

        assertEquals(200, response.statusCode(), response.asString());
        assertEquals(1200, new JsonObject(response.asString()).getInteger("input_tokens"));
        assertEquals(1, noCountTokens.requests().size(), "asked first, answered 404");
        assertEquals(RelayFlow.keyOf(counting), RelayFlow.servedBy(upstream, 0));
        assertEquals("true",
                redis.call("HGET", "claude_console_account:" + lacking, "countTokensUnavailable").toString());
        assertNull(redis.call("GET", "temp_unavailable:claude-console:" + lacking), "no mark for a missing endpoint");
    }

    // ------------------------------------------------------------- 4. anthropic-* as an open family

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void everyAnthropicHeaderReachesTheConsoleUpstream(boolean stream) {
        world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();

        given().header("x-api-key", key.raw()).header("anthropic-version", "2023-06-01")
                .header("anthropic-beta", "claude-code-20250219,context-1m-2025-08-07")
                .header("anthropic-workspace-id", "wrkspc_01").header("anthropic-brand-new", "yes")
                .header("X-Claude-Code-Session-Id", "5f0c1d2e-0000-4000-8000-000000000001")
                .contentType("application/json").body(body(stream, "family", null)).when().post("/api/v1/messages")
                .then().statusCode(200);

        var received = upstream.lastRequest();
        assertEquals("wrkspc_01", received.header("anthropic-workspace-id"));
        assertEquals("yes", received.header("anthropic-brand-new"));
        assertEquals("claude-code-20250219,context-1m-2025-08-07", received.header("anthropic-beta"));
        assertEquals("2023-06-01", received.header("anthropic-version"));
        assertNull(received.header("x-claude-code-session-id"), "consumed by the gateway, not forwarded");
    }

    // ------------------------------------------------------------- 7. the bare host as ANTHROPIC_BASE_URL

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void theRootServesMessagesAndCountTokens(boolean stream) {
        world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();

        Response messages = post("/v1/messages?beta=true", key.raw(), body(stream, "root", null));
        assertEquals(200, messages.statusCode(), messages.asString());
        assertEquals("/v1/messages", upstream.lastRequest().path());
        assertEquals("1", RelayFlow.field(redis, "usage:" + key.id(), "totalRequests"), "billed like /api");

        Response count = post("/v1/messages/count_tokens?beta=true", key.raw(), body(false, "root", null));
        assertEquals(200, count.statusCode(), count.asString());
        assertEquals(1200, new JsonObject(count.asString()).getInteger("input_tokens"));
    }

    @Test
    void aClaudeCodeOnlyKeyIsNotOpenAtTheRoot() {
        world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();
        SeededKey onlyClaudeCode = world.key(Map.of("allowedClients", "[\"claude_code\"]"));

        given().header("x-api-key", onlyClaudeCode.raw()).header("User-Agent", "curl/8")
                .contentType("application/json").body(body(false, "sneak", null)).when().post("/v1/messages")
                .then().statusCode(403);
        assertEquals(0, upstream.requests().size());
    }

    // ------------------------------------------------------------- 6. the model list from data, refreshed

    @Test
    void theModelListFollowsTheAccountsWithoutARestart() {
        world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();
        assertFalse(modelIds("/v1/models?limit=1000").contains("claude-sonnet-4-6"));

        world.consoleAccount(upstream.baseUrl(), 20,
                Map.of("supportedModels", "{\"claude-sonnet-4-6\":\"claude-sonnet-4-5-20250929\"}"));
        reloadAccounts();

        List<String> ids = modelIds("/v1/models?limit=1000");
        assertTrue(ids.contains("claude-sonnet-4-6"), ids.toString());
        assertTrue(ids.contains("claude-sonnet-4-5-20250929"), ids.toString());
        assertEquals(ids, modelIds("/api/v1/models"), "the same list under /api");
    }

    List<String> modelIds(String path) {
        Response response = given().header("x-api-key", key.raw()).when().get(path);
        assertEquals(200, response.statusCode(), response.asString());
        List<String> ids = new ArrayList<>();
        new JsonObject(response.asString()).getJsonArray("data")
                .forEach(m -> ids.add(((JsonObject) m).getString("id")));
        return ids;
    }

    // ------------------------------------------------------------- 2. relay's own refusals say when

    @Test
    void aPoolThatIsOnlyRateLimitedSaysWhenItIsBack() {
        Instant limitedAt = Instant.now().minus(Duration.ofMinutes(59));
        world.consoleAccount(upstream.baseUrl(), 10, Map.of("rateLimitStatus", "limited",
                "rateLimitedAt", LegacyClock.iso(limitedAt), "status", "rate_limited", "isActive", "false",
                "schedulable", "false"));
        reloadAccounts();

        Instant back = limitedAt.plus(Duration.ofMinutes(60));
        Instant sent = Instant.now();
        Response response = post("/api/v1/messages", key.raw(), body(false, "anyone?", null));
        Instant answered = Instant.now();

        assertEquals(500, response.statusCode(), "the legacy's status for no account");
        long retryAfter = Long.parseLong(response.getHeader("retry-after"));
        assertTrue(retryAfter >= Duration.between(answered, back).getSeconds()
                && retryAfter <= Duration.between(sent, back).getSeconds() + 1, "retry-after " + retryAfter);
        assertEquals(0, upstream.requests().size());
    }

    @Test
    void aPoolWithNoAccountForTheModelGivesNoTime() {
        world.consoleAccount(upstream.baseUrl(), 10, Map.of("supportedModels", "[\"claude-opus-4-20250514\"]"));
        reloadAccounts();

        Response response = post("/api/v1/messages", key.raw(), body(false, "sonnet please", null));

        assertEquals(500, response.statusCode());
        assertNull(response.getHeader("retry-after"), "nothing will change by waiting");
    }
}
