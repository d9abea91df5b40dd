package dev.relay.gateway.upstream.claude;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Issue 20: upstream errors pass unedited except what names the account or reseller. */
@Tag("fast")
class UpstreamErrorSanitizerTest {

    @Test
    void anthropicsOwnErrorsPassUntouched() {
        String[] untouched = {
            "Number of request tokens has exceeded your per-minute rate limit "
                    + "(https://docs.claude.com/en/api/rate-limits); see the response headers for current usage.",
            "prompt is too long: 210000 tokens > 200000 maximum",
            "Please refer to: https://docs.anthropic.com/en/api/errors. You can see the details there.",
            "This legacy model is shared by your organization's gacha team",
            "context_management: Extra inputs are not permitted",
            "Overloaded",
        };
        for (String text : untouched) {
            assertSame(text, UpstreamErrorSanitizer.text(text), text);
        }
    }

    @Test
    void foreignLinksGoWithThePhraseThatPointsToThem() {
        assertEquals("backend down, for details",
                UpstreamErrorSanitizer.text("backend down, visit https://88code.example/status for details"));
        assertEquals("Quota exceeded.",
                UpstreamErrorSanitizer.text("Quota exceeded. For more details see https://reseller.example/billing."));
        assertEquals("Account suspended.",
                UpstreamErrorSanitizer.text("Account suspended. contact us at help@reseller.example"));
        assertEquals("see https://docs.claude.com/en/docs/errors or https://console.anthropic.com/settings",
                UpstreamErrorSanitizer.text(
                        "see https://docs.claude.com/en/docs/errors or https://console.anthropic.com/settings"));
    }

    @Test
    void resellerNamesOnlyAsWholeWords() {
        assertEquals("Rate limited by upstream, retry later",
                UpstreamErrorSanitizer.text("Rate limited by packycode upstream, retry later"));
        assertEquals("quota of is spent", UpstreamErrorSanitizer.text("quota of 88code.ai is spent"));
        assertSame("legacy shared duckling", UpstreamErrorSanitizer.text("legacy shared duckling"));
    }

    @Test
    void echoedCredentialsAreRedacted() {
        assertEquals("invalid x-api-key: [redacted]",
                UpstreamErrorSanitizer.text("invalid x-api-key: sk-ant-api03-abcdefghijklmnop_QRS-tuv"));
        assertEquals("token [redacted] expired",
                UpstreamErrorSanitizer.text("token Bearer eyJhbGciOiJIUzI1NiJ9.payload expired"));
    }

    @Test
    void aMessageWithNothingLeftBecomesTheLegacysGenericText() {
        assertEquals(UpstreamErrorSanitizer.GENERIC, UpstreamErrorSanitizer.text("visit https://packy.example"));
    }

    @Test
    void aJsonBodyIsTheSameInstanceWhenNothingChanged() {
        JsonObject clean = new JsonObject().put("type", "error").put("error", new JsonObject()
                .put("type", "rate_limit_error").put("message", "see https://docs.anthropic.com/x"));
        assertSame(clean, UpstreamErrorSanitizer.json(clean));

        JsonObject leaking = new JsonObject().put("type", "error").put("error", new JsonObject()
                .put("type", "api_error").put("message", "down, visit https://ikun.example/s now"));
        JsonObject cleaned = UpstreamErrorSanitizer.json(leaking);
        assertEquals("down, now", cleaned.getJsonObject("error").getString("message"));
        assertEquals("api_error", cleaned.getJsonObject("error").getString("type"));
    }
}
