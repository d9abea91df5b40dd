package dev.relay.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.testsupport.ClaudeCodeRecordings;
import dev.relay.testsupport.ClaudeCodeRecordings.Recording;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code claude_code} client rule (relay.md §3.7) against what real clients sent
 * ({@code src/test/resources/claude-code/}): every recorded Claude Code and Agent SDK request passes, and a request
 * that differs in one thing the rule checks is refused with a reason that names that thing.
 */
@Tag("fast")
class ClaudeCodeClientTest {
    static final String ROUTE = "/api/v1/messages";
    static final String CURRENT = "2.1.332/interactive-1-messages";

    static Stream<Recording> recordedMessages() {
        return ClaudeCodeRecordings.messages().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordedMessages")
    void everyRecordedClaudeCodeRequestPasses(Recording recorded) {
        ClientVerdict verdict = ClientRestriction.verdict(List.of("claude_code"), ROUTE, headers(recorded),
                new JsonObject(recorded.body()));

        assertTrue(verdict.accepted(), recorded + ": " + verdict.reason());
    }

    static Stream<Arguments> oneThingChanged() {
        return Stream.of(
                Arguments.of("another user agent", change(h -> h.set("User-Agent", "curl/8.5.0"), b -> { }),
                        "user-agent \"curl/8.5.0\" is not claude-cli/<version>"),
                Arguments.of("no x-app", change(h -> h.remove("x-app"), b -> { }), "header x-app is missing"),
                Arguments.of("no anthropic-beta", change(h -> h.remove("anthropic-beta"), b -> { }),
                        "header anthropic-beta is missing"),
                Arguments.of("no user id", change(h -> { }, b -> b.remove("metadata")),
                        "metadata.user_id is missing"),
                Arguments.of("foreign user id", change(h -> { }, b -> b.getJsonObject("metadata").put("user_id",
                        "user-1234")), "metadata.user_id is in neither Claude Code format"),
                Arguments.of("no system prompt", change(h -> { }, b -> b.remove("system")), "no system prompt"),
                Arguments.of("billing block alone", change(h -> { }, b -> b.put("system",
                        new JsonArray().add(b.getJsonArray("system").getValue(0)))),
                        "system has the billing block but no identity block after it"),
                Arguments.of("another identity", change(h -> { }, b -> b.getJsonArray("system").getJsonObject(1)
                        .put("text", "You are a helpful assistant.\nSecret plans follow: " + "x".repeat(200))),
                        "system[1] does not open with a Claude Code or Agent SDK identity line "
                                + "(starts \"You are a helpful assistant. Sec…\")"),
                Arguments.of("identity after the prompt", change(h -> { }, b -> {
                    JsonArray system = b.getJsonArray("system");
                    system.set(1, system.getJsonObject(2).copy());
                }), "system[1] does not open with a Claude Code or Agent SDK identity line "
                        + "(starts \"You are an agent working with th…\")"),
                Arguments.of("two billing blocks", change(h -> { }, b -> {
                    JsonArray system = b.getJsonArray("system");
                    system.set(1, system.getJsonObject(0).copy());
                }), "system[1] does not open with a Claude Code or Agent SDK identity line "
                        + "(starts \"x-anthropic-billing-header: cc_v…\")"),
                Arguments.of("identity not text", change(h -> { }, b -> b.getJsonArray("system").set(1,
                        new JsonObject().put("type", "image"))), "system[1] is not a text block"));
    }

    /** One reason, for the one line the refusal is logged with. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("oneThingChanged")
    void aRequestThatDiffersInOneCheckedThingIsRefusedWithThatReason(String label, Change change, String reason) {
        Recording recorded = ClaudeCodeRecordings.named(CURRENT);
        MultiMap headers = headers(recorded);
        JsonObject body = new JsonObject(recorded.body());
        change.headers.accept(headers);
        change.body.accept(body);

        ClientVerdict verdict = ClientRestriction.verdict(List.of("claude_code"), ROUTE, headers, body);

        assertFalse(verdict.accepted(), label);
        assertEquals("claude_code: " + reason, verdict.reason());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordedMessages")
    void theBillingBlockIsOptional(Recording recorded) {
        JsonObject body = new JsonObject(recorded.body());
        body.getJsonArray("system").remove(0);

        assertTrue(ClientRestriction.verdict(List.of("claude_code"), ROUTE, headers(recorded), body).accepted());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordedMessages")
    void aSystemStringThatIsTheIdentityLinePasses(Recording recorded) {
        JsonObject body = new JsonObject(recorded.body());
        body.put("system", body.getJsonArray("system").getJsonObject(1).getString("text") + "\nMore rules.");

        assertTrue(ClientRestriction.verdict(List.of("claude_code"), ROUTE, headers(recorded), body).accepted());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordedMessages")
    void aSecondAllowedClientDoesNotHideTheClaudeCodeReason(Recording recorded) {
        MultiMap headers = headers(recorded).set("User-Agent", "python-httpx/0.27.0");

        ClientVerdict verdict = ClientRestriction.verdict(List.of("claude_code", "gemini_cli"), ROUTE, headers,
                new JsonObject(recorded.body()));

        assertEquals("claude_code: user-agent \"python-httpx/0.27.0\" is not claude-cli/<version>; "
                + "gemini_cli: path /api/v1/messages is not under /gemini", verdict.reason());
    }

    record Change(Consumer<MultiMap> headers, Consumer<JsonObject> body) {
    }

    static Change change(Consumer<MultiMap> headers, Consumer<JsonObject> body) {
        return new Change(headers, body);
    }

    static MultiMap headers(Recording recorded) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        recorded.headers().forEach(h -> headers.add(h[0], h[1]));
        return headers;
    }
}
