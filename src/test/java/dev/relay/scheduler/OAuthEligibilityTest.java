package dev.relay.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.account.AccountProfile;
import dev.relay.account.ClaudeOAuthAccount;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** OAuth pool eligibility (relay.md §4.2): health, limits and their lazy end, model families, subscriptions. */
@Tag("fast")
class OAuthEligibilityTest {
    static final Instant NOW = Instant.parse("2026-11-23T07:00:00Z");

    static ClaudeOAuthAccount account(String status, boolean schedulable, String subscription, Map<String, String> raw) {
        AccountProfile profile = new AccountProfile("id", "a", "", "shared", 50, true, status, schedulable, "", "", "",
                raw.getOrDefault("rateLimitStatus", ""), raw.getOrDefault("rateLimitedAt", ""), "");
        return new ClaudeOAuthAccount(profile, "", "", "", "t", "r", 0, "", "claude", subscription, "", 0, false, false,
                false, "", false, raw.getOrDefault("rateLimitEndAt", ""), raw);
    }

    @Test
    void unhealthyStatusesAreOutOfThePool() {
        for (String status : new String[] {"error", "blocked", "temp_error"}) {
            assertFalse(OAuthEligibility.inPool(account(status, true, "", Map.of()), "claude-sonnet-4", NOW), status);
        }
        assertTrue(OAuthEligibility.inPool(account("active", true, "", Map.of()), "claude-sonnet-4", NOW));
    }

    @Test
    void aRateLimitHoldsUntilItsEndAndThenTheAutoStoppedAccountIsBack() {
        Map<String, String> raw = new HashMap<>(Map.of("rateLimitStatus", "limited",
                "rateLimitedAt", "2026-11-23T06:50:00.000Z", "rateLimitEndAt", "2026-11-23T07:10:00.000Z",
                "rateLimitAutoStopped", "true"));
        ClaudeOAuthAccount limited = account("active", false, "", raw);
        assertFalse(OAuthEligibility.inPool(limited, "claude-sonnet-4", NOW));
        assertTrue(OAuthEligibility.inPool(limited, "claude-sonnet-4", NOW.plusSeconds(601)));
    }

    @Test
    void aFamilyLimitKeepsTheOtherFamilies() {
        ClaudeOAuthAccount a = account("active", true, "", Map.of("sonnetRateLimitEndAt", "2026-11-24T00:00:00.000Z"));
        assertFalse(OAuthEligibility.inPool(a, "claude-sonnet-4-20250514", NOW));
        assertTrue(OAuthEligibility.inPool(a, "claude-opus-4-1", NOW));
        assertEquals("sonnet", ModelFamily.ofClaim("seven_day_sonnet"));
    }

    @Test
    void opusFollowsTheSubscription() {
        String pro = "{\"hasClaudePro\":true,\"hasClaudeMax\":false}";
        assertFalse(OAuthEligibility.supportsModel(account("active", true, pro, Map.of()), "claude-opus-4-1-20250805"));
        assertTrue(OAuthEligibility.supportsModel(account("active", true, pro, Map.of()), "claude-opus-4-5-20251101"));
        assertFalse(OAuthEligibility.supportsModel(account("active", true, "{\"accountType\":\"free\"}", Map.of()),
                "claude-opus-4-5"));
        assertTrue(OAuthEligibility.supportsModel(account("active", true, "{\"accountType\":\"claude_max\"}", Map.of()),
                "claude-3-opus-20240229"));
        assertFalse(OAuthEligibility.supportsModel(account("active", true, "", Map.of()), "gpt-4o"));
    }
}
