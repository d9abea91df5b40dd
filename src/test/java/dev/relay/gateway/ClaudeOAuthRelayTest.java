package dev.relay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.fake.FakeAnthropic;
import dev.relay.fake.FakeTokenEndpoint;
import dev.relay.fake.RecordedRequest;
import dev.relay.testsupport.OAuthTestResource;
import dev.relay.testsupport.RelayWorld;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Claude OAuth account serves fixture 11's requests (relay.md §5.2, §5.5): the upstream receives exactly what the
 * legacy sent (URL with {@code ?beta=true}, headers in the same order with the same values, the body's bytes) for
 * Claude Code (stream and not) and for a plain client, and an expired token is refreshed first.
 */
@QuarkusTest
@QuarkusTestResource(OAuthTestResource.class)
class ClaudeOAuthRelayTest extends RelayTestBase {
    static final FakeAnthropic API = OAuthTestResource.API;
    static final FakeTokenEndpoint TOKENS = OAuthTestResource.TOKENS;

    /** OAuth accounts left behind would count as healthy ones in other classes' legacy health checks. */
    @AfterEach
    void removeOAuthAccounts() {
        redis.flush();
    }

    @TestHTTPResource("/")
    URL gateway;

    final OAuthFixture fixture = new OAuthFixture();
    RelayWorld.SeededKey key;

    @BeforeEach
    void seed() {
        API.reset();
        TOKENS.reset();
        key = world.key(Map.of("claudeAccountId", OAuthFixture.ACCOUNT));
    }

    void seedFixtureAccount(long expiresAtMs) {
        world.oauthAccount(OAuthFixture.ACCOUNT, 90, OAuthFixture.ACCESS_TOKEN, OAuthFixture.REFRESH_TOKEN, expiresAtMs,
                Map.of());
        reloadAccounts();
    }

    /** The headers the fixture's upstream received, with the host of the fake in place of api.anthropic.com. */
    List<Map.Entry<String, String>> expectedHeaders(JsonNode upstream) {
        List<Map.Entry<String, String>> expected = new ArrayList<>();
        for (Map.Entry<String, String> h : OAuthFixture.headers(upstream.get("headers"))) {
            expected.add(h.getKey().equals("host") ? Map.entry("host", "127.0.0.1:" + API.port()) : h);
        }
        return expected;
    }

    void assertSameRequest(JsonNode expected, RecordedRequest actual) {
        assertEquals(expected.get("method").asText(), actual.method());
        assertEquals(expected.get("path").asText(), actual.uri());
        assertEquals(expectedHeaders(expected).toString(), actual.headers().toString());
        assertEquals(OAuthFixture.compact(expected.get("body")), actual.body());
    }

    @Test
    void claudeCodeRequestReachesTheUpstreamAsTheLegacySentIt() throws Exception {
        seedFixtureAccount(System.currentTimeMillis() + 3_600_000);

        RawHttp.Answer answer = fixture.send(gateway, OAuthFixture.CLAUDE_CODE, key.raw());

        assertEquals(200, answer.status(), answer.body());
        assertSameRequest(fixture.upstream(OAuthFixture.CLAUDE_CODE, "/v1/messages?beta=true"), API.lastRequest());
        String record = RelayFlow.eventually(() -> {
            var first = redis.call("LINDEX", "usage:records:" + key.id(), "0");
            return first == null ? null : first.toString();
        });
        assertTrue(record != null && record.contains("\"accountType\":\"claude\""), "usage labelled as the legacy's: " + record);
        assertTrue(record.contains("\"accountId\":\"" + OAuthFixture.ACCOUNT + "\""), record);
    }

    @Test
    void claudeCodeStreamReachesTheUpstreamAsTheLegacySentIt() throws Exception {
        seedFixtureAccount(System.currentTimeMillis() + 3_600_000);

        RawHttp.Answer answer = fixture.send(gateway, OAuthFixture.STREAM, key.raw());

        assertEquals(200, answer.status(), answer.body());
        assertTrue(answer.body().contains("message_stop"), answer.body());
        assertSameRequest(fixture.upstream(OAuthFixture.STREAM, "/v1/messages?beta=true"), API.lastRequest());
    }

    @Test
    void plainClientGetsTheClaudeCodePromptFirstAndOnlyWhitelistedHeaders() throws Exception {
        seedFixtureAccount(System.currentTimeMillis() + 3_600_000);

        RawHttp.Answer answer = fixture.send(gateway, OAuthFixture.PLAIN_CLIENT, key.raw());

        assertEquals(200, answer.status(), answer.body());
        assertSameRequest(fixture.upstream(OAuthFixture.PLAIN_CLIENT, "/v1/messages?beta=true"), API.lastRequest());
    }

    @Test
    void expiredTokenIsRefreshedFirstAsTheLegacyDoesAndTheCallUsesTheNewOne() throws Exception {
        seedFixtureAccount(System.currentTimeMillis() - 3_600_000);

        RawHttp.Answer answer = fixture.send(gateway, OAuthFixture.REFRESH, key.raw());

        assertEquals(200, answer.status(), answer.body());
        assertEquals(1, TOKENS.calls());
        RecordedRequest tokenCall = TOKENS.requests().get(0);
        JsonNode legacyTokenCall = fixture.upstream(OAuthFixture.REFRESH, "/v1/oauth/token");
        assertEquals("POST", tokenCall.method());
        assertEquals(OAuthFixture.compact(legacyTokenCall.get("body")), tokenCall.body());
        for (String name : List.of("Accept", "Content-Type", "User-Agent", "Accept-Language", "Referer", "Origin")) {
            assertEquals(legacyHeader(legacyTokenCall, name), tokenCall.header(name), name);
        }
        assertEquals("Bearer " + FakeTokenEndpoint.accessToken(1), API.lastRequest().header("authorization"));
        assertEquals(0, redis.call("EXISTS", "token_refresh_lock:claude:" + OAuthFixture.ACCOUNT).toLong(),
                "the lock is released");
        RecordedRequest profile = RelayFlow.eventually(() -> API.requests().stream()
                .filter(r -> r.path().equals("/api/oauth/profile")).findFirst().orElse(null));
        assertTrue(profile != null, "the scopes allow the profile: it is fetched with the new token");
        assertEquals("GET", profile.method());
        assertEquals("Bearer " + FakeTokenEndpoint.accessToken(1), profile.header("authorization"));
    }

    static String legacyHeader(JsonNode upstream, String name) {
        for (Map.Entry<String, String> h : OAuthFixture.headers(upstream.get("headers"))) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }
}
