package dev.relay.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/** Points a {@code @QuarkusTest} application at the test Redis/PostgreSQL with the fixtures' secrets. */
public class RelayTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        config.put("relay.redis.host", TestServices.redisHost());
        config.put("relay.redis.port", String.valueOf(TestServices.redisPort()));
        config.put("relay.redis.db", String.valueOf(TestServices.redisDb()));
        config.put("relay.postgres.url", TestServices.postgresUrl());
        config.put("relay.security.encryption-key", TestServices.FIXTURE_ENCRYPTION_KEY);
        config.put("relay.security.jwt-secret", "fixture-jwt-secret-0123456789abcdef-0123456789");
        config.put("relay.embedded-services", "false");
        return config;
    }

    @Override
    public void stop() {
        // servers are shared by the whole test JVM and stopped by TestServices' shutdown hook
    }
}
