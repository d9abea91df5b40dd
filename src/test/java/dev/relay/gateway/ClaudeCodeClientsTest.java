package dev.relay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.auth.ApiKeyAuthenticator;
import dev.relay.fake.RecordedRequest;
import dev.relay.testsupport.ClaudeCodeRecordings;
import dev.relay.testsupport.ClaudeCodeRecordings.Recording;
import dev.relay.testsupport.GatewayClient;
import dev.relay.testsupport.GatewayClient.Answer;
import dev.relay.testsupport.LogCapture;
import dev.relay.testsupport.RelayTestResource;
import dev.relay.testsupport.RelayWorld.SeededKey;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Claude Code through a key restricted to Claude Code (relay.md §3.3 rows 9 and 10, §3.7), with the requests real
 * Claude Code builds and the Agent SDK sent ({@code src/test/resources/claude-code/}). The restriction is stored
 * each way the legacy can hold it: the client restriction switched on with {@code ["claude_code"]}, the list alone
 * (row 10 still applies), or the dashboard's global "Claude Code only" switch on a plain key.
 */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class ClaudeCodeClientsTest extends RelayTestBase {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CURRENT = "2.1.332/interactive-1-messages";

    @TestHTTPResource("/")
    URL gatewayUrl;

    GatewayClient gateway;

    /** How the legacy stores "Claude Code only", and what it answers a refused client. */
    enum Restriction {
        CLIENT_RESTRICTION_ON(Map.of("enableClientRestriction", "true", "allowedClients", "[\"claude_code\"]"), false,
                "{\"error\":\"Client not allowed\",\"message\":\"Your client is not authorized to use this API key\","
                        + "\"allowedClients\":[\"claude_code\"]}"),
        ALLOWED_CLIENTS_ONLY(Map.of("enableClientRestriction", "false", "allowedClients", "[\"claude_code\"]"), false,
                "{\"error\":{\"type\":\"client_validation_error\","
                        + "\"message\":\"This endpoint only accepts requests from Claude Code CLI\"}}"),
        GLOBAL_SWITCH(Map.of(), true, "{\"error\":{\"type\":\"client_validation_error\","
                + "\"message\":\"This endpoint only accepts requests from Claude Code CLI\"}}");

        final Map<String, String> keyFields;
        final boolean globalSwitch;
        final String refusal;

        Restriction(Map<String, String> keyFields, boolean globalSwitch, String refusal) {
            this.keyFields = keyFields;
            this.globalSwitch = globalSwitch;
            this.refusal = refusal;
        }
    }

    @BeforeEach
    void gatewayWithAnAccount() {
        gateway = new GatewayClient(gatewayUrl.toString());
        world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();
    }

    SeededKey claudeCodeOnly(Restriction restriction) {
        if (restriction.globalSwitch) {
            relayConfig("{\"claudeCodeOnlyEnabled\":true}");
        }
        return world.key(restriction.keyFields);
    }

    static Stream<Arguments> everyRecordingEveryRestriction() {
        List<Arguments> all = new ArrayList<>();
        for (Recording recording : ClaudeCodeRecordings.all()) {
            for (Restriction restriction : Restriction.values()) {
                all.add(Arguments.of(recording, restriction));
            }
        }
        return all.stream();
    }

    /** The issue: current Claude Code opens {@code system} with its billing block, and was refused with 403. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyRecordingEveryRestriction")
    void realClaudeCodeRequestsPassAClaudeCodeOnlyKey(Recording recorded, Restriction restriction) {
        SeededKey key = claudeCodeOnly(restriction);

        try (LogCapture log = LogCapture.of(ApiKeyAuthenticator.class, Level.INFO)) {
            Answer answer = gateway.send(recorded.method(), "/api" + recorded.path(), recorded.replayHeaders(key.raw()),
                    recorded.body());

            assertEquals(200, answer.status(), answer.body());
            assertEquals(List.of(), log.lines());
        }
        assertEquals(1, upstream.requests().size());
        RecordedRequest forwarded = upstream.lastRequest();
        assertEquals(recorded.path().replaceFirst("\\?.*", ""), forwarded.path());
        assertEquals(json(recorded.body()).path("model"), forwarded.json().path("model"));
    }

    static Stream<Arguments> otherClientsEveryRestriction() {
        Recording current = ClaudeCodeRecordings.named(CURRENT);
        JsonObject body = new JsonObject(current.body());
        String sdkBody = "{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":64,\"system\":\"You are a helpful "
                + "assistant.\",\"messages\":[{\"role\":\"user\",\"content\":\"say hi\"}]}";
        List<String[]> sdkHeaders = List.of(new String[] {"Content-Type", "application/json"},
                new String[] {"User-Agent", "Anthropic/Python 0.49.0"}, new String[] {"anthropic-version", "2023-06-01"});
        JsonObject renamed = body.copy();
        renamed.getJsonArray("system").getJsonObject(1).put("text", "You are Claude, an assistant.");
        List<Arguments> all = new ArrayList<>();
        for (Restriction restriction : Restriction.values()) {
            all.add(Arguments.of("Anthropic SDK", sdkHeaders, sdkBody, restriction,
                    "claude_code: user-agent \"Anthropic/Python 0.49.0\" is not claude-cli/<version>"));
            all.add(Arguments.of("Claude Code headers, another identity", current.replayHeaders(), renamed.encode(),
                    restriction,
                    "claude_code: system[1] does not open with a Claude Code or Agent SDK identity line "
                            + "(starts \"You are Claude, an assistant.\")"));
        }
        return all.stream();
    }

    /** A client that is not Claude Code still gets the legacy's 403, and the refusal is one log line with a reason. */
    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("otherClientsEveryRestriction")
    void otherClientsAreRefusedAndTheReasonIsLoggedOnce(String label, List<String[]> headers, String body,
            Restriction restriction, String reason) {
        SeededKey key = claudeCodeOnly(restriction);
        List<String[]> withKey = new ArrayList<>(headers);
        withKey.add(new String[] {"x-api-key", key.raw()});

        try (LogCapture log = LogCapture.of(ApiKeyAuthenticator.class, Level.INFO)) {
            Answer answer = gateway.send("POST", "/api/v1/messages?beta=true", withKey, body);

            assertEquals(403, answer.status(), answer.body());
            assertEquals(json(restriction.refusal), answer.json());
            List<String> lines = log.lines();
            assertEquals(1, lines.size(), lines.toString());
            String line = lines.get(0);
            assertTrue(line.contains(key.id()), line);
            assertTrue(line.endsWith(reason), line);
            assertFalse(line.contains(key.raw()), "the key was logged: " + line);
            assertFalse(line.contains("\n"), line);
        }
        assertEquals(List.of(), upstream.requests(), "a refused request reached the upstream");
        assertEquals(0L, redis.call("ZCARD", "concurrency:" + key.id()).toLong(), "a lease was left behind");
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
