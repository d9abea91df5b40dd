package dev.relay.admin.auth;

import dev.relay.config.RelayConfig;
import jakarta.inject.Singleton;

/**
 * Admin login attempts allowed per client address and per username in one window (the legacy allows any number).
 * A success clears both counts.
 */
@Singleton
public class LoginLimits {
    private final long windowSeconds;
    private final long maxPerAddress;
    private final long maxPerUser;

    public LoginLimits(RelayConfig config) {
        this.windowSeconds = config.admin().loginWindowSeconds();
        this.maxPerAddress = config.admin().loginMaxPerAddress();
        this.maxPerUser = config.admin().loginMaxPerUser();
    }

    public long windowSeconds() {
        return windowSeconds;
    }

    public long maxPerAddress() {
        return maxPerAddress;
    }

    public long maxPerUser() {
        return maxPerUser;
    }
}
