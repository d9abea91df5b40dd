package dev.relay.gateway;

import static dev.relay.gateway.RelayFlow.body;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.fake.Reply;
import dev.relay.testsupport.RelayTestResource;
import dev.relay.testsupport.RelayWorld.SeededKey;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Anthropic's gateway guide for Claude Code, one requirement per row: requirement → request → expected answer. The
 * rows paraphrase the guide ({@value #PROTOCOL}, {@value #ROLLOUT}) section by section; when the guide changes,
 * this table is what changes. Claude Code is pointed at the bare host ({@code ANTHROPIC_BASE_URL}), as a user
 * following the guide would; the upstream is a fake Anthropic API.
 */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class ClaudeCodeGatewayGuideTest extends RelayTestBase {
    static final String PROTOCOL = "https://code.claude.com/docs/en/llm-gateway-protocol";
    static final String ROLLOUT = "https://code.claude.com/docs/en/llm-gateway-rollout";
    static final Path RECORDED_BODY = Path.of("src/test/resources/claude-code/2.1.332/print-1-messages.body.json");
    static final String SESSION = "7bdb5ff6-c0ed-4502-b83a-d0c723467f78";

    /** One requirement of the guide and how relay is held to it. */
    record Row(String requirement, String source, String request, String expected, Check check) {
        @Override
        public String toString() {
            return requirement;
        }
    }

    @FunctionalInterface
    interface Check {
        void run(ClaudeCodeGatewayGuideTest t) throws Exception;
    }

    static Stream<Arguments> guide() {
        return Stream.of(
                row("Anthropic Messages format at ANTHROPIC_BASE_URL: POST /v1/messages; inference targets "
                        + "/v1/messages?beta=true, so route on the path, not the query", PROTOCOL + "#api-formats",
                        "POST /v1/messages?beta=true on the bare host", "200, the upstream's message",
                        t -> {
                            Response r = t.claudeCode().body(body(false, "hi", null)).post("/v1/messages?beta=true");
                            assertEquals(200, r.statusCode(), r.asString());
                            assertEquals("message", new JsonObject(r.asString()).getString("type"));
                            assertEquals("/v1/messages", upstream.lastRequest().path());
                        }),
                row("POST /v1/messages/count_tokens (optional): served when the upstream can count",
                        PROTOCOL + "#api-formats", "POST /v1/messages/count_tokens on the bare host",
                        "200 {\"input_tokens\": the upstream's count}",
                        t -> {
                            Response r = t.claudeCode().body(body(false, "count", null))
                                    .post("/v1/messages/count_tokens?beta=true");
                            assertEquals(200, r.statusCode(), r.asString());
                            assertEquals(1200, new JsonObject(r.asString()).getInteger("input_tokens"));
                        }),
                row("count_tokens is optional: when it fails Claude Code estimates locally, so a gateway "
                        + "without it must fail, not answer a count", PROTOCOL + "#api-formats",
                        "count_tokens with only accounts lacking the endpoint",
                        "501 not_supported with x-should-retry: false; never 200 with a made-up count",
                        t -> {
                            t.onlyAccountWithout("countTokensUnavailable");
                            Response r = t.claudeCode().body(body(false, "count", null))
                                    .post("/v1/messages/count_tokens");
                            assertEquals(501, r.statusCode(), r.asString());
                            assertEquals("false", r.getHeader("x-should-retry"));
                            assertEquals(0, upstream.requests().size());
                        }),
                row("Forward unchanged: the anthropic-beta and anthropic-version request headers",
                        PROTOCOL + "#request-headers", "Claude Code's headers on a messages request",
                        "the upstream receives both values byte for byte",
                        t -> {
                            String beta = "claude-code-20250219,interleaved-thinking-2025-05-14,effort-2025-11-24";
                            t.claudeCode().header("anthropic-beta", beta).body(body(true, "hi", null))
                                    .post("/v1/messages?beta=true").then().statusCode(200);
                            assertEquals(beta, upstream.lastRequest().header("anthropic-beta"));
                            assertEquals("2023-06-01", upstream.lastRequest().header("anthropic-version"));
                        }),
                row("The anthropic-* header family is open: headers the gateway does not know pass too",
                        PROTOCOL + "#request-headers", "anthropic-workspace-id and an unknown anthropic-* header",
                        "the upstream receives both",
                        t -> {
                            t.claudeCode().header("anthropic-workspace-id", "wrkspc_1")
                                    .header("anthropic-not-invented-yet", "1").body(body(false, "hi", null))
                                    .post("/v1/messages").then().statusCode(200);
                            assertEquals("wrkspc_1", upstream.lastRequest().header("anthropic-workspace-id"));
                            assertEquals("1", upstream.lastRequest().header("anthropic-not-invented-yet"));
                        }),
                row("The request body passes byte for byte: the system prompt attribution block and "
                        + "cache_control breakpoints (prompt caching depends on them)",
                        PROTOCOL + "#system-prompt-attribution-block", "Claude Code 2.1.332's recorded body",
                        "the upstream receives the same bytes",
                        t -> {
                            String recorded = Files.readString(RECORDED_BODY);
                            t.claudeCode().body(recorded).post("/v1/messages?beta=true").then().statusCode(200);
                            assertEquals(recorded, upstream.lastRequest().body());
                        }),
                row("Stream responses: pass server-sent events through as they arrive, no buffering",
                        ROLLOUT + "#gateway-requirements", "a streamed answer whose events come 200 ms apart",
                        "the first events reach the client while the upstream is still sending",
                        ClaudeCodeGatewayGuideTest::firstEventsArriveWhileTheUpstreamStreams),
                row("Forward headers and body in both directions: the upstream's response headers reach a "
                        + "streaming client too", ROLLOUT + "#gateway-requirements", "a streamed answer",
                        "request-id and anthropic-ratelimit-unified-* on the stream's head",
                        t -> {
                            Response r = t.claudeCode().body(body(true, "hi", null)).post("/v1/messages?beta=true");
                            assertEquals(200, r.statusCode());
                            assertTrue(r.getHeader("request-id").startsWith("req_fake_"));
                            assertEquals("allowed", r.getHeader("anthropic-ratelimit-unified-status"));
                        }),
                row("Errors keep what clients act on: a 429 before the stream carries retry-after and "
                        + "x-should-retry (Claude Code's retry logic reads them)", ROLLOUT + "#gateway-requirements",
                        "a streamed request the upstream refuses with 429",
                        "429 JSON with the upstream's retry-after, x-should-retry and body",
                        t -> {
                            upstream.nextReplies(Reply.status(429).header("x-should-retry", "false"));
                            Response r = t.claudeCode().body(body(true, "hi", null)).post("/v1/messages?beta=true");
                            assertEquals(429, r.statusCode());
                            assertEquals("60", r.getHeader("retry-after"));
                            assertEquals("false", r.getHeader("x-should-retry"));
                            assertEquals("rate_limit_error",
                                    new JsonObject(r.asString()).getJsonObject("error").getString("type"));
                        }),
                row("Consume: X-Claude-Code-Session-Id (and a subagent's agent id) may be read for "
                        + "attribution and need not be forwarded", PROTOCOL + "#request-headers",
                        "a subagent's request with both headers",
                        "not forwarded; counted in relay_claude_code_requests_total{agent=\"subagent\"}",
                        t -> {
                            double before = t.metric("relay_claude_code_requests_total", "agent=\"subagent\"");
                            t.claudeCode().header("X-Claude-Code-Session-Id", SESSION)
                                    .header("x-claude-code-agent-id", "agent-1").body(body(false, "hi", null))
                                    .post("/v1/messages?beta=true").then().statusCode(200);
                            assertNull(upstream.lastRequest().header("x-claude-code-session-id"));
                            assertNull(upstream.lastRequest().header("x-claude-code-agent-id"));
                            assertEquals(before + 1, t.metric("relay_claude_code_requests_total",
                                    "agent=\"subagent\""));
                        }),
                row("Model discovery: GET /v1/models?limit=1000 in Anthropic's list shape; Claude Code keeps "
                        + "the ids that start with claude or anthropic", PROTOCOL + "#model-discovery",
                        "GET /v1/models?limit=1000 on the bare host",
                        "200 {data:[{type, id, display_name, created_at}], has_more, first_id, last_id}",
                        t -> {
                            Response r = t.claudeCode().get("/v1/models?limit=1000");
                            assertEquals(200, r.statusCode(), r.asString());
                            JsonObject list = new JsonObject(r.asString());
                            assertEquals(false, list.getBoolean("has_more"));
                            assertTrue(list.getJsonArray("data").size() > 0);
                            for (Object o : list.getJsonArray("data")) {
                                JsonObject m = (JsonObject) o;
                                assertEquals("model", m.getString("type"));
                                assertTrue(m.getString("id").startsWith("claude"), m.encode());
                                assertTrue(m.getString("display_name").startsWith("Claude "), m.encode());
                                assertTrue(m.getString("created_at").endsWith("Z"), m.encode());
                            }
                            assertEquals(list.getJsonArray("data").getJsonObject(0).getString("id"),
                                    list.getString("first_id"));
                        }),
                row("Serve at the exact address distributed, not one that redirects; Claude Code may probe "
                        + "it with HEAD /", ROLLOUT + "#prerequisites", "HEAD / on the bare host",
                        "an answer, not a redirect",
                        t -> {
                            int status = t.claudeCode().head("/").statusCode();
                            assertTrue(status < 300 || status >= 400 && status < 500, "HEAD / answered " + status);
                        }));
    }

    static Arguments row(String requirement, String source, String request, String expected, Check check) {
        return Arguments.of(new Row(requirement, source, request, expected, check));
    }

    SeededKey key;
    String account;

    @BeforeEach
    void claudeCodeSetUp() {
        key = world.key(Map.of());
        account = world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("guide")
    void theGuidesRequirement(Row row) throws Exception {
        row.check().run(this);
    }

    /** A request as Claude Code sends it with the key in {@code ANTHROPIC_API_KEY}. */
    RequestSpecification claudeCode() {
        return given().header("x-api-key", key.raw()).header("User-Agent", "claude-cli/2.1.332 (external, cli)")
                .header("anthropic-version", "2023-06-01").header("x-app", "cli").contentType("application/json");
    }

    void onlyAccountWithout(String flag) {
        redis.call("HSET", "claude_console_account:" + account, flag, "true");
        reloadAccounts();
    }

    /** A counter's value from the Prometheus endpoint (0 when it has no sample yet). */
    double metric(String name, String label) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*" + Pattern.quote(label) + "[^}]*\\} (\\S+)$")
                .matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    void firstEventsArriveWhileTheUpstreamStreams() throws Exception {
        // 40 events 200 ms apart: the upstream is busy for 8 s; the client sees the first ones long before
        upstream.nextReplies(Reply.ok().chunks(36).eventDelayMs(200));
        HttpRequest request = HttpRequest.newBuilder(URI.create(RelayFlow.gateway() + "/v1/messages?beta=true"))
                .header("x-api-key", key.raw()).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(true, "slow", null))).build();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        try (InputStream in = response.body();
                BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            assertTrue(readUntil(lines, "event: content_block_delta"), "a first delta reached the client");
            assertEquals(1, upstream.inFlight(), "the upstream was still sending: nothing was buffered");
        }
        long deadline = System.currentTimeMillis() + 15_000;
        while (upstream.inFlight() != 0 && System.currentTimeMillis() < deadline) {
            RelayFlow.sleep(20); // the client left: relay resets the upstream call
        }
        assertEquals(0, upstream.inFlight());
    }

    static boolean readUntil(BufferedReader lines, String wanted) {
        try {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.equals(wanted)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
