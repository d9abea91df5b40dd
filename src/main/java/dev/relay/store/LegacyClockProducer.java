package dev.relay.store;

import dev.relay.config.RelayConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.ZoneId;

/** The legacy clock for this deployment: TIMEZONE_OFFSET, and the host zone the legacy's week label depends on. */
public class LegacyClockProducer {

    @Produces
    @Singleton
    LegacyClock clock(RelayConfig config) {
        return new LegacyClock(LegacyClock.parseOffset(config.timezoneOffset()), ZoneId.systemDefault());
    }
}
