package dev.relay.gateway;

import static dev.relay.testsupport.GatewayClient.AS_RECORDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.fake.Reply;
import dev.relay.store.LegacyClock;
import dev.relay.store.Replies;
import dev.relay.testsupport.GatewayClient;
import dev.relay.testsupport.GatewayClient.Answer;
import dev.relay.testsupport.LegacyFixtures;
import dev.relay.testsupport.RedisKeyspace;
import dev.relay.testsupport.RelayTestResource;
import dev.relay.testsupport.RelayWorld;
import dev.relay.testsupport.RelayWorld.SeededKey;
import dev.relay.testsupport.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The authentication chain and bad input (relay.md §3, §1.1, §5.6), checked against the legacy's recorded answers
 * in fixture 09-auth-failures: each recorded request is replayed with a key configured as in scenario.md, and the
 * status and JSON body must be the legacy's. A refusal must leave Redis exactly as it was (the capture's diffs are
 * empty), bill nothing, hold no lease and send nothing upstream.
 */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class AuthChainTest extends RelayTestBase {
    static final String FIXTURE = "09-auth-failures";
    static final JsonNode HTTP = LegacyFixtures.load(FIXTURE, "http.json");
    static final Pattern ISO = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
    static final String OPUS = "claude-opus-4-20250514";
    static final String SONNET_BODY = "{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":16,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @TestHTTPResource("/")
    URL gatewayUrl;

    RedisKeyspace keyspace;
    GatewayClient gateway;
    String account;
    long upstreamBaseline;

    @BeforeEach
    void cleanWorld() {
        redis.flush();
        upstream.reset();
        upstreamBaseline = upstream.requestCount();
        world = new RelayWorld(redis);
        keyspace = new RedisKeyspace(redis);
        gateway = new GatewayClient(gatewayUrl.toString());
        // an account is always there, so a request that wrongly passes the chain would reach the upstream
        account = world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        TestRedis.await(pool.reload());
    }

    // ---------------------------------------------------------------- refusals on the first request

    static Stream<Arguments> firstRequestRefusals() {
        return Stream.of(
                Arguments.of("no-key", null),
                Arguments.of("malformed-key", null),
                Arguments.of("wrong-prefix", null),
                Arguments.of("unknown-key", null),
                Arguments.of("disabled-key", Map.of("isActive", "false")),
                Arguments.of("expired-key", Map.of("expiresAt", LegacyClock.iso(Instant.now().minusSeconds(3600)))),
                // a concurrency limit on the keys refused after the lease is taken proves the lease is given back
                Arguments.of("model-not-allowed", Map.of("enableModelRestriction", "true",
                        "restrictedModels", "[\"" + OPUS + "\"]", "concurrencyLimit", "3")),
                Arguments.of("client-not-allowed", Map.of("enableClientRestriction", "true",
                        "allowedClients", "[\"gemini_cli\"]", "concurrencyLimit", "3")),
                Arguments.of("permission-denied", Map.of("permissions", "gemini", "concurrencyLimit", "3")));
    }

    /** {@code keyFields} null: the recorded key header (or its absence) is sent as it was. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("firstRequestRefusals")
    void refusedLikeTheLegacy(String label, Map<String, String> keyFields) {
        SeededKey key = keyFields == null ? null : world.key(keyFields);
        Map<String, String> before = keyspace.settled();

        Answer answer = gateway.replay(exchange(label), key == null ? AS_RECORDED : key.raw());

        assertLegacyAnswer(label, answer);
        assertRefusedCleanly(before);
        if (key != null) {
            assertNothingBilledOrHeld(key.id());
        }
    }

    static Stream<Arguments> keyShapes() {
        return Stream.of(
                Arguments.of("cr_123456", "{\"error\":\"Invalid API key format\",\"message\":\"API key format is invalid\"}"),
                Arguments.of("cr_" + "a".repeat(510), "{\"error\":\"Invalid API key format\",\"message\":\"API key format is invalid\"}"),
                Arguments.of("xx_1234567", "{\"error\":\"Invalid API key\",\"message\":\"Invalid API key format\"}"),
                Arguments.of("cr_1234567", "{\"error\":\"Invalid API key\",\"message\":\"API key not found\"}"),
                Arguments.of("cr_" + "a".repeat(509), "{\"error\":\"Invalid API key\",\"message\":\"API key not found\"}"));
    }

    /** relay.md §3.3 rows 2–4: 10 ≤ length ≤ 512, then the prefix, then the lookup. */
    @ParameterizedTest(name = "{index}: length {0}")
    @MethodSource("keyShapes")
    void keyLengthAndPrefixAreCheckedInTheLegacyOrder(String rawKey, String expected) {
        Map<String, String> before = keyspace.settled();

        Answer answer = gateway.postJson("/api/v1/messages", rawKey, SONNET_BODY);

        assertEquals(401, answer.status(), answer.body());
        assertEquals(json(expected), answer.json());
        assertRefusedCleanly(before);
    }

    static Stream<Arguments> keyCarriers() {
        return Stream.of(
                Arguments.of("x-api-key", "%s", ""),
                Arguments.of("x-goog-api-key", "%s", ""),
                Arguments.of("Authorization", "Bearer %s", ""),
                Arguments.of("authorization", "bearer   %s", ""),
                Arguments.of("api-key", "%s", ""),
                Arguments.of("x-api-key", "", "?key=%s"));
    }

    /** relay.md §3.1: every place a client may put the key, Bearer stripped in any case. */
    @ParameterizedTest(name = "{0}: {1} {2}")
    @MethodSource("keyCarriers")
    void keyIsFoundWhereverTheLegacyLooks(String header, String headerValue, String query) {
        SeededKey key = world.key(Map.of());
        List<String[]> headers = new ArrayList<>();
        headers.add(new String[] {"Content-Type", "application/json"});
        headers.add(new String[] {header, headerValue.formatted(key.raw())});

        Answer answer = gateway.send("POST", "/api/v1/messages" + query.formatted(key.raw()), headers, SONNET_BODY);

        assertEquals(200, answer.status(), answer.body());
        assertEquals(1L, upstreamCalls());
        awaitField("usage:" + key.id(), "totalRequests", "1");
    }

    /** relay.md §3.7: a key for Claude Code only takes Claude Code's requests (fixture headers and body). */
    @Test
    void claudeCodeOnlyKeyTakesClaudeCodeAndRefusesOthers() {
        SeededKey key = world.key(Map.of("enableClientRestriction", "true", "allowedClients", "[\"claude_code\"]",
                "concurrencyLimit", "2"));

        Answer claudeCode = gateway.replay(exchange("rate-window-first"), key.raw());
        assertEquals(200, claudeCode.status(), claudeCode.body());
        awaitField("usage:" + key.id(), "totalRequests", "1");
        Map<String, String> before = keyspace.settled();

        Answer other = gateway.postJson("/api/v1/messages", key.raw(), SONNET_BODY);

        assertEquals(403, other.status(), other.body());
        assertEquals(json("{\"error\":\"Client not allowed\",\"message\":\"Your client is not authorized to use "
                + "this API key\",\"allowedClients\":[\"claude_code\"]}"), other.json());
        assertEquals(1L, upstreamCalls());
        assertEquals(before, keyspace.settled());
        assertNoLease(key.id());
    }

    @Test
    void disabledActivationKeyIsNotActivated() {
        SeededKey key = world.key(Map.of("isActive", "false", "expirationMode", "activation", "isActivated", "false",
                "activationDays", "7", "activatedAt", "", "expiresAt", ""));
        Map<String, String> before = keyspace.settled();

        Answer answer = gateway.replay(exchange("disabled-key"), key.raw());

        assertLegacyAnswer("disabled-key", answer);
        assertRefusedCleanly(before);
        assertEquals("false", redis.call("HGET", "apikey:" + key.id(), "isActivated").toString());
    }

    // ---------------------------------------------------------------- limits reached by a first request

    enum Reset { NONE, WINDOW, NEXT_LOCAL_MIDNIGHT, NEXT_LOCAL_MONDAY }

    static Stream<Arguments> limitRefusals() {
        return Stream.of(
                Arguments.of("rate-window", Map.of("rateLimitWindow", "1", "rateLimitRequests", "1"), Reset.WINDOW),
                Arguments.of("token-limit", Map.of("rateLimitWindow", "1", "tokenLimit", "100"), Reset.WINDOW),
                Arguments.of("rate-cost", Map.of("rateLimitWindow", "1", "rateLimitCost", "0.001"), Reset.WINDOW),
                Arguments.of("daily-cost", Map.of("dailyCostLimit", "0.001"), Reset.NEXT_LOCAL_MIDNIGHT),
                Arguments.of("total-cost", Map.of("totalCostLimit", "0.001"), Reset.NONE),
                Arguments.of("weekly-opus", Map.of("weeklyOpusCostLimit", "0.001"), Reset.NEXT_LOCAL_MONDAY));
    }

    /**
     * The first request passes and is billed (the fake answers with the capture's usage, so the counters reach the
     * capture's values); the second is refused with the legacy's body, including {@code currentCost} /
     * {@code currentTokens} / {@code currentRequests}, and changes nothing.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("limitRefusals")
    void limitReachedLikeTheLegacy(String limit, Map<String, String> keyFields, Reset reset) {
        SeededKey key = world.key(keyFields);
        long firstSentAt = System.currentTimeMillis();
        Answer first = gateway.replay(exchange(limit + "-first"), key.raw());
        assertEquals(200, first.status(), first.body());
        awaitField("usage:" + key.id(), "totalRequests", "1");
        Map<String, String> before = keyspace.settled();
        if (reset == Reset.WINDOW) {
            // redis-*-first.json: the window keys as the legacy leaves them (cost rounded to 6 decimals)
            assertEquals("1", redis.call("GET", "rate_limit:requests:" + key.id()).toString());
            assertEquals("4745", redis.call("GET", "rate_limit:tokens:" + key.id()).toString());
            assertEquals("0.010537", redis.call("GET", "rate_limit:cost:" + key.id()).toString());
            long start = Long.parseLong(redis.call("GET", "rate_limit:window_start:" + key.id()).toString());
            assertTrue(start >= firstSentAt && start <= System.currentTimeMillis(), "window_start " + start);
            for (String part : new String[] {"window_start", "requests", "tokens", "cost"}) {
                long pttl = redis.call("PTTL", "rate_limit:" + part + ":" + key.id()).toLong();
                assertTrue(pttl > 0 && pttl <= 60_000, part + " PTTL " + pttl);
            }
        }
        String usageBefore = before.get("usage:" + key.id());
        assertNotNull(usageBefore);
        long upstreamBefore = upstreamCalls();

        Instant sentAt = Instant.now();
        Answer answer = gateway.replay(exchange(limit + "-exceeded"), key.raw());
        Instant answeredAt = Instant.now();

        assertLegacyAnswer(limit + "-exceeded", answer, reset == Reset.NONE ? new String[0] : new String[] {"resetAt"});
        if (reset != Reset.NONE) {
            Instant resetAt = Instant.parse(answer.json().path("resetAt").asText());
            switch (reset) {
                case WINDOW -> assertEquals(Instant.ofEpochMilli(60_000 + Long.parseLong(
                        redis.call("GET", "rate_limit:window_start:" + key.id()).toString())), resetAt);
                case NEXT_LOCAL_MIDNIGHT -> assertTrue(resetAt.equals(nextLocalMidnight(sentAt))
                        || resetAt.equals(nextLocalMidnight(answeredAt)), "daily resetAt " + resetAt);
                case NEXT_LOCAL_MONDAY -> assertTrue(resetAt.equals(nextLocalMonday(sentAt))
                        || resetAt.equals(nextLocalMonday(answeredAt)), "weekly resetAt " + resetAt);
                default -> fail();
            }
        }
        assertRetryAdvice(reset, answer, sentAt, answeredAt);
        assertEquals(upstreamBefore, upstreamCalls(), "the refused request reached the upstream");
        Map<String, String> after = keyspace.settled();
        assertEquals(before, after, "a refused request changed Redis");
        assertEquals(usageBefore, after.get("usage:" + key.id()));
        assertNoLease(key.id());
    }

    @Test
    void weeklyOpusLimitLeavesSonnetRequestsAlone() {
        SeededKey key = world.key(Map.of("weeklyOpusCostLimit", "0.001"));
        assertEquals(200, gateway.replay(exchange("weekly-opus-first"), key.raw()).status());
        awaitField("usage:" + key.id(), "totalRequests", "1");
        assertEquals(429, gateway.replay(exchange("weekly-opus-exceeded"), key.raw()).status());

        Answer sonnet = gateway.replay(exchange("weekly-opus-sonnet-ok"), key.raw());

        assertEquals(200, sonnet.status(), sonnet.body());
        assertEquals("claude-sonnet-4-20250514", sonnet.json().path("model").asText());
        assertEquals(2L, upstreamCalls());
        awaitField("usage:" + key.id(), "totalRequests", "2");
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    void secondRequestWhileOneIsInFlightIsRefusedWithRetryAfter() throws Exception {
        SeededKey key = world.key(Map.of("concurrencyLimit", "1"));
        upstream.nextReplies(Reply.ok().delayMs(1500));
        CompletableFuture<Answer> holder = CompletableFuture.supplyAsync(
                () -> gateway.replay(exchange("concurrency-holder"), key.raw()));
        assertTrue(upstream.awaitRequests(upstreamBaseline + 1, 5000), "the holder never reached the upstream");
        Map<String, String> before = keyspace.snapshot();
        assertEquals(1, Replies.strings(redis.call("ZRANGE", "concurrency:" + key.id(), "0", "-1")).size());

        Answer refused = gateway.replay(exchange("concurrency-exceeded"), key.raw());

        assertLegacyAnswer("concurrency-exceeded", refused);
        assertEquals("1", refused.header("Retry-After"));
        assertEquals(before, keyspace.snapshot(), "the refused request changed Redis");
        assertEquals(1L, upstreamCalls());
        Answer held = holder.get(10, TimeUnit.SECONDS);
        assertEquals(200, held.status(), held.body());
        awaitNoLease(key.id());
        awaitField("usage:" + key.id(), "totalRequests", "1");
    }

    /** The slot is held for the whole stream, not just until the headers, and given back at its end. */
    @Test
    void streamHoldsItsSlotUntilTheEnd() throws Exception {
        SeededKey key = world.key(Map.of("concurrencyLimit", "1"));
        upstream.nextReplies(Reply.ok().eventDelayMs(100));
        String streamBody = SONNET_BODY.replace("\"messages\"", "\"stream\":true,\"messages\"");
        var request = java.net.http.HttpRequest.newBuilder(gatewayUrl.toURI().resolve("/api/v1/messages"))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .header("x-api-key", key.raw()).POST(java.net.http.HttpRequest.BodyPublishers.ofString(streamBody))
                .build();
        var stream = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()
                .send(request, java.net.http.HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, stream.statusCode());
        var lines = stream.body().iterator();
        assertTrue(skipTo(lines, "event: content_block_start"), "the stream's first events reached the client");

        Answer refused = gateway.postJson("/api/v1/messages", key.raw(), streamBody);

        assertEquals(429, refused.status(), refused.body());
        assertEquals("Concurrency limit exceeded", refused.json().path("error").asText());
        assertTrue(refused.header("Content-Type").startsWith("application/json"), refused.header("Content-Type"));
        assertTrue(skipTo(lines, "event: message_stop"), "the stream went on to its end");
        stream.body().close();
        awaitNoLease(key.id());
        assertEquals(1L, upstreamCalls());
        awaitField("usage:" + key.id(), "totalRequests", "1");
    }

    @Test
    void clientLeavingMidStreamReleasesItsLease() throws Exception {
        SeededKey key = world.key(Map.of("concurrencyLimit", "1"));
        upstream.nextReplies(Reply.ok().eventDelayMs(500));
        byte[] body = SONNET_BODY.replace("\"messages\"", "\"stream\":true,\"messages\"")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (java.net.Socket socket = new java.net.Socket(gatewayUrl.getHost(), gatewayUrl.getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("POST /api/v1/messages HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nx-api-key: " + key.raw() + "\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            StringBuilder seen = new StringBuilder();
            byte[] buffer = new byte[4096];
            while (!seen.toString().contains("event: message_start")) {
                int n = socket.getInputStream().read(buffer);
                assertTrue(n > 0, "stream ended early: " + seen);
                seen.append(new String(buffer, 0, n, java.nio.charset.StandardCharsets.UTF_8));
            }
            assertTrue(seen.toString().startsWith("HTTP/1.1 200"), seen.toString());
        }
        long left = System.currentTimeMillis();

        awaitNoLease(key.id());
        assertTrue(System.currentTimeMillis() - left < 2000, "the lease outlived the client");
        Answer next = gateway.postJson("/api/v1/messages", key.raw(), SONNET_BODY);
        assertEquals(200, next.status(), next.body());
    }

    @Test
    void fiftyConcurrentRequestsNeverExceedTheKeyLimit() throws Exception {
        SeededKey key = world.key(Map.of("concurrencyLimit", "5"));
        awaitUpstreamIdle();
        upstream.reset().defaultReply(Reply.ok().delayMs(300));
        int clients = 50;
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Answer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                answers.add(threads.submit(() -> {
                    go.await();
                    return gateway.postJson("/api/v1/messages", key.raw(), SONNET_BODY);
                }));
            }
            go.countDown();
            int ok = 0;
            JsonNode refusal = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"error\":"
                    + "\"Concurrency limit exceeded\",\"message\":\"Too many concurrent requests. Limit: 5 concurrent "
                    + "requests\",\"currentConcurrency\":5,\"concurrencyLimit\":5}");
            for (Future<Answer> f : answers) {
                Answer a = f.get(60, TimeUnit.SECONDS);
                if (a.status() == 200) {
                    ok++;
                } else {
                    assertEquals(429, a.status(), a.body());
                    assertEquals(refusal, a.json());
                    assertEquals("1", a.header("Retry-After"));
                }
            }
            assertTrue(upstream.maxInFlight() <= 5, "upstream saw " + upstream.maxInFlight() + " at once");
            assertTrue(upstream.maxInFlight() >= 2, "the requests never overlapped: the test proves nothing");
            assertTrue(ok >= 5, "only " + ok + " requests passed");
            assertEquals((long) ok, upstreamCalls(), "only admitted requests may reach the upstream");
            awaitNoLease(key.id());
            awaitField("usage:" + key.id(), "totalRequests", String.valueOf(ok));
        } finally {
            threads.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- activation

    static Stream<Arguments> activationUnits() {
        return Stream.of(Arguments.of("days", 7, Duration.ofDays(7)), Arguments.of("hours", 3, Duration.ofHours(3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("activationUnits")
    void activationKeyIsActivatedOnFirstUse(String unit, int amount, Duration lifetime) {
        SeededKey key = world.key(Map.of("expirationMode", "activation", "isActivated", "false",
                "activationDays", String.valueOf(amount), "activationUnit", unit, "activatedAt", "",
                "expiresAt", ""));
        Instant before = Instant.now().minusMillis(1);

        Answer answer = gateway.postJson("/api/v1/messages", key.raw(), SONNET_BODY);
        Instant after = Instant.now().plusMillis(1);

        assertEquals(200, answer.status(), answer.body());
        Map<String, String> stored = Replies.hash(redis.call("HGETALL", "apikey:" + key.id()));
        assertEquals("true", stored.get("isActivated"));
        assertTrue(ISO.matcher(stored.get("activatedAt")).matches(), stored.get("activatedAt"));
        Instant activatedAt = Instant.parse(stored.get("activatedAt"));
        assertTrue(activatedAt.isAfter(before) && activatedAt.isBefore(after), "activatedAt " + activatedAt);
        assertTrue(ISO.matcher(stored.get("expiresAt")).matches(), stored.get("expiresAt"));
        assertEquals(activatedAt.plus(lifetime), Instant.parse(stored.get("expiresAt")));
        assertTrue(ISO.matcher(stored.get("lastUsedAt")).matches(), "lastUsedAt " + stored.get("lastUsedAt"));
        assertFalse(Instant.parse(stored.get("lastUsedAt")).isBefore(activatedAt));
        assertEquals("activation", stored.get("expirationMode"));
        long ttl = redis.call("TTL", "apikey:" + key.id()).toLong();
        assertTrue(ttl > 364L * 86400 && ttl <= 365L * 86400, "apikey TTL " + ttl);
        awaitField("usage:" + key.id(), "totalRequests", "1");

        // already activated: a second request keeps the activation time
        assertEquals(200, gateway.postJson("/api/v1/messages", key.raw(), SONNET_BODY).status());
        Map<String, String> again = Replies.hash(redis.call("HGETALL", "apikey:" + key.id()));
        assertEquals(stored.get("activatedAt"), again.get("activatedAt"));
        assertEquals(stored.get("expiresAt"), again.get("expiresAt"));
    }

    // ---------------------------------------------------------------- models and count_tokens

    /**
     * Issue 20: the list comes from data (price file, accounts, relay.models.extra) in Anthropic's shape and the
     * legacy's (fixture 09 "models": object, created = the time of the answer, owned_by); retired Claude 3 ids and
     * models relay does not serve are gone.
     */
    @Test
    void modelsListIsBuiltFromDataInBothShapes() {
        SeededKey key = world.key(Map.of());
        Map<String, String> before = keyspace.settled();
        long from = Instant.now().getEpochSecond();

        Answer answer = gateway.replay(exchange("models"), key.raw());

        long to = Instant.now().getEpochSecond();
        assertEquals(200, answer.status(), answer.body());
        JsonNode body = answer.json();
        assertEquals("list", body.path("object").asText());
        assertFalse(body.path("has_more").asBoolean(true));
        List<String> ids = new ArrayList<>();
        for (JsonNode model : body.path("data")) {
            ids.add(model.path("id").asText());
            assertEquals("model", model.path("type").asText());
            assertEquals("model", model.path("object").asText());
            assertEquals("anthropic", model.path("owned_by").asText());
            assertTrue(model.path("display_name").asText().startsWith("Claude "), model.toString());
            assertTrue(ISO.matcher(model.path("created_at").asText()).matches(), model.toString());
            long created = model.path("created").asLong();
            assertTrue(created >= from && created <= to, "created " + created);
        }
        assertTrue(ids.containsAll(List.of("claude-opus-5-5", "claude-sonnet-5-5", "claude-haiku-5-5",
                "claude-sonnet-4-5-20250929", OPUS)), ids.toString());
        assertFalse(ids.contains("claude-3-opus-20240229") || ids.contains("gpt-5-codex"), ids.toString());
        assertEquals(ids.get(0), body.path("first_id").asText());
        assertEquals(ids.get(ids.size() - 1), body.path("last_id").asText());
        assertEquals(before, keyspace.settled(), "listing models changed Redis");
        assertEquals(0L, upstreamCalls());
    }

    @Test
    void modelsListLeavesOutTheKeysRestrictedModels() {
        SeededKey open = world.key(Map.of());
        SeededKey key = world.key(Map.of("enableModelRestriction", "true",
                "restrictedModels", "[\"" + OPUS + "\",\"gpt-5-codex\"]"));

        List<String> expected = new ArrayList<>();
        gateway.replay(exchange("models"), open.raw()).json().path("data")
                .forEach(m -> expected.add(m.path("id").asText()));
        Answer answer = gateway.replay(exchange("models"), key.raw());

        assertEquals(200, answer.status(), answer.body());
        assertTrue(expected.remove(OPUS));
        List<String> ids = new ArrayList<>();
        answer.json().path("data").forEach(m -> ids.add(m.path("id").asText()));
        assertEquals(expected, ids);
    }

    @Test
    void countTokensIsForwardedToTheConsoleAccountAndNotBilled() {
        SeededKey key = world.key(Map.of());

        Answer answer = gateway.replay(exchange("count-tokens"), key.raw());

        assertEquals(200, answer.status(), answer.body());
        assertEquals(json("{\"input_tokens\":1200}"), answer.json()); // what the fake counted
        assertEquals(1L, upstreamCalls());
        assertEquals("/v1/messages/count_tokens", upstream.lastRequest().path());
        assertEquals(RelayWorld.upstreamKeyOf(account), upstream.lastRequest().header("x-api-key"));
        assertEquals(exchange("count-tokens").path("request").path("body"), upstream.lastRequest().json());
        keyspace.settled();
        assertNothingBilledOrHeld(key.id());
        // like the legacy (fixture 09 redis-count-tokens.json), the call is scheduled with its session hash
        String mapping = "unified_claude_session_mapping:ed9e80aadfc6fe0c9c53ea13e259aa4d";
        assertEquals("{\"accountId\":\"" + account + "\",\"accountType\":\"claude-console\"}",
                redis.call("GET", mapping).toString());
        assertTrue(redis.call("TTL", mapping).toLong() > 3500);
    }

    /**
     * relay.md §5.6 keeps the account's flag; issue 20: the client is told that counting is not available (the
     * legacy's 501 for accounts without count_tokens, not to be retried), never a made-up 0.
     */
    @Test
    void countTokensNotFoundUpstreamIsNotSupportedAndMarksTheAccount() {
        SeededKey key = world.key(Map.of());
        upstream.nextReplies(Reply.status(404));

        Answer answer = gateway.replay(exchange("count-tokens"), key.raw());

        assertEquals(501, answer.status(), answer.body());
        assertEquals("not_supported", answer.json().path("error").path("type").asText());
        assertEquals("false", answer.header("x-should-retry"));
        assertEquals(1L, upstreamCalls());
        assertEquals("true", redis.call("HGET", "claude_console_account:" + account, "countTokensUnavailable")
                .toString(), "flag written before the answer");

        // once the account is known to lack count_tokens, it is not asked again
        TestRedis.await(pool.reload());
        Answer again = gateway.replay(exchange("count-tokens"), key.raw());
        assertEquals(501, again.status(), again.body());
        assertEquals("not_supported", again.json().path("error").path("type").asText());
        assertEquals(1L, upstreamCalls());
        keyspace.settled();
        assertNothingBilledOrHeld(key.id());
    }

    /** relay.md §5.6 / §3.3: count_tokens takes no concurrency slot and skips the client restriction. */
    @Test
    void countTokensNeedsNoConcurrencySlot() throws Exception {
        SeededKey key = world.key(Map.of("concurrencyLimit", "1"));
        upstream.nextReplies(Reply.ok().delayMs(1500));
        CompletableFuture<Answer> holder = CompletableFuture.supplyAsync(
                () -> gateway.postJson("/api/v1/messages", key.raw(), SONNET_BODY));
        assertTrue(upstream.awaitRequests(upstreamBaseline + 1, 5000), "the holder never reached the upstream");

        Answer counted = gateway.replay(exchange("count-tokens"), key.raw());

        assertEquals(200, counted.status(), counted.body());
        assertEquals(json("{\"input_tokens\":1200}"), counted.json());
        assertEquals(200, holder.get(10, TimeUnit.SECONDS).status());
        awaitNoLease(key.id());
    }

    @Test
    void countTokensSkipsTheClientRestriction() {
        SeededKey key = world.key(Map.of("enableClientRestriction", "true", "allowedClients", "[\"gemini_cli\"]"));

        Answer counted = gateway.replay(exchange("count-tokens"), key.raw());

        assertEquals(200, counted.status(), counted.body());
        assertEquals(1L, upstreamCalls());
    }

    @Test
    void countTokensChecksThePermission() {
        SeededKey key = world.key(Map.of("permissions", "gemini"));
        Map<String, String> before = keyspace.settled();

        Answer answer = gateway.replay(exchange("count-tokens"), key.raw());

        assertEquals(403, answer.status(), answer.body());
        assertEquals(json("{\"error\":{\"type\":\"permission_error\","
                + "\"message\":\"This API key does not have permission to access Claude\"}}"), answer.json());
        assertRefusedCleanly(before);
    }

    /** relay.md §3.5 step 3: the window's request counter counts count_tokens calls too. */
    @Test
    void countTokensUsesUpTheWindowsRequests() {
        SeededKey key = world.key(Map.of("rateLimitWindow", "1", "rateLimitRequests", "1"));

        assertEquals(200, gateway.replay(exchange("count-tokens"), key.raw()).status());
        assertEquals("1", redis.call("GET", "rate_limit:requests:" + key.id()).toString());
        Answer refused = gateway.replay(exchange("rate-window-exceeded"), key.raw());

        assertLegacyAnswer("rate-window-exceeded", refused, "resetAt");
        assertEquals(1L, upstreamCalls());
    }

    /** A client that leaves while its request waits for the upstream gives its slot back at once. */
    @Test
    void clientLeavingReleasesItsLease() throws Exception {
        SeededKey key = world.key(Map.of("concurrencyLimit", "1"));
        upstream.nextReplies(Reply.ok().delayMs(4000));
        byte[] body = SONNET_BODY.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (java.net.Socket socket = new java.net.Socket(gatewayUrl.getHost(), gatewayUrl.getPort())) {
            socket.getOutputStream().write(("POST /api/v1/messages HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nx-api-key: " + key.raw() + "\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            assertTrue(upstream.awaitRequests(upstreamBaseline + 1, 5000), "the request never reached the upstream");
            assertEquals(1L, redis.call("ZCARD", "concurrency:" + key.id()).toLong());
        }
        long left = System.currentTimeMillis();

        awaitNoLease(key.id());
        assertTrue(System.currentTimeMillis() - left < 2000, "the lease outlived the client");
        // relay.md §6.5: for a Console non-stream call the legacy aborts the upstream call when the client leaves
        awaitUpstreamIdle();
        assertTrue(System.currentTimeMillis() - left < 2000, "the upstream call outlived the client");
        Answer next = gateway.postJson("/api/v1/messages", key.raw(), SONNET_BODY);
        assertEquals(200, next.status(), next.body());
        awaitField("usage:" + key.id(), "totalRequests", "1");
    }

    // ---------------------------------------------------------------- bad bodies

    @Test
    void bodyWithoutMessagesGetsTheLegacyAnswer() {
        SeededKey key = world.key(Map.of());
        Map<String, String> before = keyspace.settled();

        Answer answer = gateway.replay(exchange("body-invalid"), key.raw());

        assertLegacyAnswer("body-invalid", answer);
        assertRefusedCleanly(before);
        assertNothingBilledOrHeld(key.id());
    }

    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of("empty messages", "{\"model\":\"claude-sonnet-4-20250514\",\"messages\":[]}",
                        "{\"error\":\"Invalid request\",\"message\":\"Messages array cannot be empty\"}"),
                Arguments.of("messages not an array", "{\"model\":\"claude-sonnet-4-20250514\",\"messages\":\"hi\"}",
                        "{\"error\":\"Invalid request\","
                                + "\"message\":\"Missing or invalid field: messages (must be an array)\"}"),
                Arguments.of("body not an object", "[1,2]",
                        "{\"error\":\"Invalid request\",\"message\":\"Request body must be a valid JSON object\"}"),
                Arguments.of("empty body", "", "{\"error\":\"Invalid request\","
                        + "\"message\":\"Missing or invalid field: messages (must be an array)\"}"));
    }

    /** The legacy's parser accepts these bodies, so the key is checked before the body is refused. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void badBodyWithoutKeyIsAnAuthFailureFirst(String name, String body, String ignored) {
        Map<String, String> before = keyspace.settled();

        Answer answer = gateway.postJson("/api/v1/messages", null, body);

        assertLegacyAnswer("no-key", answer);
        assertRefusedCleanly(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void badBodyGetsTheLegacyAnswer(String name, String body, String expected) {
        SeededKey key = world.key(Map.of("concurrencyLimit", "2"));
        Map<String, String> before = keyspace.settled();

        Answer answer = gateway.postJson("/api/v1/messages?beta=true", key.raw(), body);

        assertEquals(400, answer.status(), answer.body());
        assertEquals(json(expected), answer.json());
        assertRefusedCleanly(before);
        assertNothingBilledOrHeld(key.id());
    }

    static Stream<Arguments> unparsableBodies() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"model\":\"claude-sonnet-4-20250514\",\"messages\":["),
                Arguments.of("missing model", "{\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    }

    /** Where the legacy answers with its generic 400 page (or forwards a model-less body), we answer as Anthropic. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("unparsableBodies")
    void unparsableBodyGetsAnAnthropicError(String name, String body) {
        SeededKey key = world.key(Map.of("concurrencyLimit", "2"));
        Map<String, String> before = keyspace.settled();

        Answer answer = gateway.postJson("/api/v1/messages", key.raw(), body);

        assertEquals(400, answer.status(), answer.body());
        JsonNode json = answer.json();
        assertEquals("error", json.path("type").asText(), answer.body());
        assertEquals("invalid_request_error", json.path("error").path("type").asText(), answer.body());
        assertFalse(json.path("error").path("message").asText().isBlank(), answer.body());
        assertTrue(answer.header("Content-Type").startsWith("application/json"));
        assertRefusedCleanly(before);
        assertNothingBilledOrHeld(key.id());
    }

    // ---------------------------------------------------------------- helpers

    static JsonNode exchange(String label) {
        for (JsonNode e : HTTP) {
            if (label.equals(e.path("label").asText())) {
                return e;
            }
        }
        throw new AssertionError("fixture 09 has no exchange " + label);
    }

    /** Status and parsed JSON body equal to the legacy's; {@code timeFields} only need to be ISO instants. */
    static void assertLegacyAnswer(String label, Answer answer, String... timeFields) {
        JsonNode recorded = exchange(label).path("response");
        assertEquals(0, exchange(label).path("upstream").size(), "the legacy did not call the upstream");
        assertEquals(recorded.path("status").asInt(), answer.status(), label + ": " + answer.body());
        assertTrue(answer.header("Content-Type").startsWith("application/json"), answer.header("Content-Type"));
        JsonNode expected = recorded.path("body").deepCopy();
        JsonNode actual = answer.json().deepCopy();
        for (String field : timeFields) {
            assertTrue(ISO.matcher(actual.path(field).asText()).matches(), field + " in " + answer.body());
            ((ObjectNode) expected).remove(field);
            ((ObjectNode) actual).remove(field);
        }
        assertEquals(expected, actual, label);
    }

    void assertRefusedCleanly(Map<String, String> before) {
        assertTrue(before.containsKey("claude_console_account:" + account), "snapshot misses keys: " + before.keySet());
        assertEquals(0L, upstreamCalls(), "a refused request reached the upstream");
        assertEquals(before, keyspace.settled(), "a refused request changed Redis");
    }

    static void assertNothingBilledOrHeld(String keyId) {
        assertEquals(0L, redis.call("EXISTS", "usage:" + keyId).toLong(), "usage:" + keyId + " was written");
        assertEquals(0, Replies.strings(redis.call("KEYS", "usage:*" + keyId + "*")).size(), "usage was booked");
        assertNoLease(keyId);
    }

    static void assertNoLease(String keyId) {
        assertEquals(0L, redis.call("ZCARD", "concurrency:" + keyId).toLong(), "a lease was left behind");
    }

    static void awaitNoLease(String keyId) {
        long deadline = System.currentTimeMillis() + 5000;
        while (redis.call("ZCARD", "concurrency:" + keyId).toLong() != 0) {
            if (System.currentTimeMillis() > deadline) {
                fail("leases left: " + Replies.strings(redis.call("ZRANGE", "concurrency:" + keyId, "0", "-1")));
            }
            sleep(20);
        }
    }

    static void awaitUpstreamIdle() {
        long deadline = System.currentTimeMillis() + 5000;
        while (upstream.inFlight() != 0) {
            if (System.currentTimeMillis() > deadline) {
                fail(upstream.inFlight() + " upstream calls still running");
            }
            sleep(10);
        }
    }

    static void awaitField(String key, String field, String expected) {
        long deadline = System.currentTimeMillis() + 5000;
        String value = null;
        while (System.currentTimeMillis() < deadline) {
            var reply = redis.call("HGET", key, field);
            value = reply == null ? null : reply.toString();
            if (expected.equals(value)) {
                return;
            }
            sleep(20);
        }
        assertEquals(expected, value, key + " " + field);
    }

    /**
     * Issue 20: a window refusal says when the window resets ({@code retry-after}, whole seconds); a cost limit
     * also says that retrying soon cannot help ({@code x-should-retry: false}), with the reset time when it has one.
     */
    static void assertRetryAdvice(Reset reset, Answer answer, Instant sentAt, Instant answeredAt) {
        String retryAfter = answer.header("retry-after");
        if (reset == Reset.NONE) {
            assertEquals(null, retryAfter, "a total cost limit never resets");
        } else {
            Instant resetAt = Instant.parse(answer.json().path("resetAt").asText());
            long seconds = Long.parseLong(retryAfter);
            long earliest = Math.max(1, Duration.between(answeredAt, resetAt).getSeconds());
            long latest = Math.max(1, Duration.between(sentAt, resetAt).getSeconds() + 1);
            assertTrue(seconds >= earliest && seconds <= latest, "retry-after " + seconds + " for " + resetAt);
        }
        assertEquals(reset == Reset.WINDOW ? null : "false", answer.header("x-should-retry"));
    }

    static JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static Instant nextLocalMidnight(Instant now) {
        ZoneId zone = ZoneId.systemDefault();
        return now.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
    }

    static Instant nextLocalMonday(Instant now) {
        ZoneId zone = ZoneId.systemDefault();
        LocalDate date = now.atZone(zone).toLocalDate().plusDays(1);
        while (date.getDayOfWeek() != DayOfWeek.MONDAY) {
            date = date.plusDays(1);
        }
        return date.atStartOfDay(zone).toInstant();
    }

    /** Reads lines until one equals {@code line}; false when the body ended first. */
    static boolean skipTo(java.util.Iterator<String> lines, String line) {
        while (lines.hasNext()) {
            if (lines.next().equals(line)) {
                return true;
            }
        }
        return false;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Requests the fake received during this test. */
    long upstreamCalls() {
        return upstream.requestCount() - upstreamBaseline;
    }
}
