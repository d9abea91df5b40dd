package dev.relay.testsupport;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A test tagged fast by mistake fails at once in the fast lane instead of starting Redis or PostgreSQL there. */
@Tag("fast")
class TestServicesTest {
    private final String lane = System.getProperty(TestServices.FAST_LANE);

    @AfterEach
    void restoreTheLane() {
        if (lane == null) {
            System.clearProperty(TestServices.FAST_LANE);
        } else {
            System.setProperty(TestServices.FAST_LANE, lane);
        }
    }

    @Test
    void theFastLaneRefusesRedisAndPostgresql() {
        System.setProperty(TestServices.FAST_LANE, "true");

        IllegalStateException redis = assertThrows(IllegalStateException.class, TestServices::redisConnectionString);
        assertThrows(IllegalStateException.class, TestServices::redisPort);
        IllegalStateException postgres = assertThrows(IllegalStateException.class, TestServices::postgresUrl);

        assertTrue(redis.getMessage().contains("remove its @Tag(\"fast\")"), redis.getMessage());
        assertTrue(postgres.getMessage().contains("PostgreSQL"), postgres.getMessage());
    }
}
