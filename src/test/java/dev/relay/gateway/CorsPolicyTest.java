package dev.relay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class CorsPolicyTest {

    /** The legacy compares {@code process.env.ENABLE_CORS === 'true'}. */
    @Test
    void onlyTheExactTextTrueAllowsEveryOrigin() {
        assertEquals(CorsPolicy.ALLOW_ALL, CorsPolicy.of("true"));
        for (String other : new String[] {"TRUE", "True", "1", "yes", " true", "", "false", null}) {
            assertEquals(CorsPolicy.LOCAL_ORIGINS, CorsPolicy.of(other), String.valueOf(other));
        }
    }
}
