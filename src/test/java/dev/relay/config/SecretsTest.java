package dev.relay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The gateway refuses to start without the secrets it shares with the legacy, or with the placeholder key. */
@Tag("fast")
class SecretsTest {

    static RelayConfig config(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(RelayConfig.class)
                .withDefaultValues(values).build();
        return config.getConfigMapping(RelayConfig.class);
    }

    static Map<String, String> production(String encryptionKey, String jwt) {
        Map<String, String> v = new HashMap<>();
        v.put("relay.redis.host", "redis.internal");
        if (encryptionKey != null) {
            v.put("relay.security.encryption-key", encryptionKey);
        }
        if (jwt != null) {
            v.put("relay.security.jwt-secret", jwt);
        }
        return v;
    }

    static Secrets secrets(RelayConfig config) {
        return new Secrets(config, new ServiceEndpoints(config, ServiceEndpointsTest.NO_EMBEDDED));
    }

    @Test
    void productionNeedsTheEncryptionKeyAndJwtSecret() {
        var missingKey = assertThrows(IllegalStateException.class,
                () -> secrets(config(production(null, "j".repeat(40)))));
        assertTrue(missingKey.getMessage().contains("ENCRYPTION_KEY"), missingKey.getMessage());
        var missingJwt = assertThrows(IllegalStateException.class,
                () -> secrets(config(production("fixture-encryption-key-32-bytes!", null))));
        assertTrue(missingJwt.getMessage().contains("JWT_SECRET"), missingJwt.getMessage());
        var shortKey = assertThrows(IllegalStateException.class,
                () -> secrets(config(production("short", "j".repeat(40)))));
        assertTrue(shortKey.getMessage().contains("shorter"), shortKey.getMessage());
    }

    @Test
    void theLegacyPlaceholderKeyIsRefused() {
        var e = assertThrows(IllegalStateException.class,
                () -> secrets(config(production("CHANGE-THIS-32-CHARACTER-KEY-NOW", "j".repeat(40)))));
        assertTrue(e.getMessage().contains("placeholder"), e.getMessage());
    }

    @Test
    void productionSecretsAreTakenAsGiven() {
        Secrets s = secrets(config(production("fixture-encryption-key-32-bytes!", "j".repeat(40))));
        assertEquals("fixture-encryption-key-32-bytes!", s.encryptionKey());
    }

    @Test
    void aLocalTrialGeneratesSecretsOnceAndKeepsThem() throws Exception {
        Path dir = Files.createTempDirectory("relay-secrets");
        Map<String, String> v = new HashMap<>();
        v.put("relay.data-dir", dir.toString());
        RelayConfig config = config(v);
        ServiceEndpoints local = new ServiceEndpoints(config, ServiceEndpointsTest.NO_EMBEDDED) {
            @Override
            public boolean localTrial() {
                return true;
            }
        };
        Secrets first = new Secrets(config, local);
        Secrets second = new Secrets(config, local);
        assertNotNull(first.encryptionKey());
        assertEquals(first.encryptionKey(), second.encryptionKey());
        assertEquals(first.adminPassword(), second.adminPassword());
        assertTrue(Files.exists(dir.resolve("local-secrets.properties")));
    }
}
