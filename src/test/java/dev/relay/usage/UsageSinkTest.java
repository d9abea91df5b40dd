package dev.relay.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.relay.testsupport.TestRedis;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the pipeline hands to its usage sink lands together: a request's usage and its account's lastUsedAt. */
class UsageSinkTest extends CountingRecorderTestBase {
    private static final String ACCOUNT = "claude_console_account:acct-1";

    @BeforeEach
    void seedKeyAndAccount() {
        redis.call("HSET", "apikey:" + UsageRig.KEY, "id", UsageRig.KEY);
        redis.call("HSET", ACCOUNT, "id", "acct-1", "lastUsedAt", "2026-11-23T07:00:00.000Z");
    }

    @Test
    void theAccountsLastUsedAtIsWrittenInTheSameRoundTripAsTheUsage() {
        UsageSink sink = recorder;
        TestRedis.await(sink.record(UsageRig.event(0), null, null)); // the script is known to Redis from here on
        assertEquals("2026-11-23T07:00:00.000Z", redis.call("HGET", ACCOUNT, "lastUsedAt").toString(),
                "no account given, none touched");
        roundTrips.set(0);

        RecordedUsage booked = TestRedis.await(sink.record(UsageRig.event(1), ACCOUNT, "2026-11-23T07:21:54.000Z"));

        assertEquals(1, roundTrips.get(), "usage and account touch in one script call");
        assertEquals(4745, booked.totalTokens());
        assertEquals("2", redis.call("HGET", "usage:" + UsageRig.KEY, "totalRequests").toString());
        assertEquals("2026-11-23T07:21:54.000Z", redis.call("HGET", ACCOUNT, "lastUsedAt").toString());
    }

    @Test
    void anAccountTouchNeedsBothTheHashAndTheTime() {
        UsageSink sink = recorder;
        TestRedis.await(sink.record(UsageRig.event(0), ACCOUNT, null));
        TestRedis.await(sink.record(UsageRig.event(1), null, "2026-11-23T07:21:54.000Z"));

        assertEquals("2026-11-23T07:00:00.000Z", redis.call("HGET", ACCOUNT, "lastUsedAt").toString());
        assertFalse(redis.call("KEYS", "*").toString().contains("null"), "no hash named null");
    }
}
