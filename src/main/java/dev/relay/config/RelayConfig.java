package dev.relay.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/**
 * Every setting the gateway reads. The legacy service's environment variable names are mapped onto these
 * keys in {@code application.properties}, so an operator's existing {@code .env} keeps working.
 */
@ConfigMapping(prefix = "relay")
public interface RelayConfig {

    Redis redis();

    Postgres postgres();

    Security security();

    /** Legacy {@code TIMEZONE_OFFSET}: kept as text because the legacy parses it with {@code parseInt(x) || 8}. */
    @WithDefault("8")
    String timezoneOffset();

    Sticky sticky();

    Admin admin();

    Usage usage();

    /** Legacy {@code REQUEST_TIMEOUT}: idle timeout of one upstream call, in milliseconds. */
    @WithDefault("600000")
    long requestTimeoutMs();

    /**
     * Seconds a Claude Console account sits out ({@code temp_unavailable:claude-console:<id>}) after its upstream
     * could not be reached: connection refused or reset, DNS, connect timeout. Short, so that a single-account pool
     * serves again soon after the upstream is back; an answer that timed out and 5xx answers keep the legacy's
     * 300 s. Values below 1 count as 1.
     */
    @WithDefault("30")
    long connectFailureCooldownSeconds();

    /**
     * Largest request body accepted, in MB (the legacy's {@code REQUEST_MAX_SIZE_MB}, relay.md §2); larger bodies
     * get 413 before authentication, and JSON inside the limit always parses ({@code relay.JsonReadLimits}).
     */
    @WithDefault("60")
    long maxBodyMb();

    /**
     * Legacy {@code ENABLE_CORS}: exactly {@code true} answers every origin with {@code *}; any other value selects
     * the legacy's own CORS middleware (relay.md §2, {@code relay.CorsPolicy}).
     */
    @WithDefault("true")
    String enableCors();

    /**
     * Seconds between two sweeps of expired leases from the {@code concurrency:*} sets (the legacy sweeps every
     * 60 s; both may run). 0 = never.
     */
    @WithDefault("30")
    long leaseSweepSeconds();

    /**
     * Seconds a concurrency lease (the key's and the account's) counts without being renewed: the bound within which
     * the leases of a process that died stop counting. Renewed every {@link #leaseRenewSeconds} while the request
     * runs. The legacy's API-key lease is 300 s (its account leases 600 s). Values below 10 count as 10.
     */
    @WithDefault("300")
    int leaseSeconds();

    /** Seconds between two renewals of a running request's leases (the legacy's {@code renewIntervalSeconds}). */
    @WithDefault("30")
    int leaseRenewSeconds();

    /**
     * Seconds requests in flight may take to finish after SIGTERM (new ones are refused at once); streams still
     * running then are ended with a terminal error event. Short by default, so that the whole shutdown fits in
     * {@code docker stop}'s 10 s; a Kubernetes pod sets it below its {@code terminationGracePeriodSeconds}.
     */
    @WithDefault("5")
    int shutdownDrainSeconds();

    /** Folder for the embedded Redis/PostgreSQL data and generated local secrets. */
    @WithDefault("data")
    String dataDir();

    /** Whether an unconfigured Redis/PostgreSQL may be replaced by embedded servers (local trial runs). */
    @WithDefault("true")
    boolean embeddedServices();

    Models models();

    interface Redis {
        /** Empty means "not configured": the embedded server is started when allowed. */
        Optional<String> host();

        @WithDefault("6379")
        int port();

        Optional<String> password();

        @WithDefault("0")
        String db();

        /** Exactly the text {@code true} enables TLS, as in the legacy. */
        @WithDefault("false")
        String enableTls();

        @WithDefault("16")
        int poolSize();
    }

    interface Postgres {
        /** {@code postgres://user:pass@host:port/db}; wins over the separate fields. */
        Optional<String> url();

        Optional<String> host();

        @WithDefault("5432")
        int port();

        @WithDefault("postgres")
        String user();

        Optional<String> password();

        @WithDefault("claude_relay")
        String database();

        @WithDefault("4")
        int poolSize();
    }

    interface Security {
        Optional<String> encryptionKey();

        Optional<String> jwtSecret();

        @WithDefault("cr_")
        String apiKeyPrefix();
    }

    interface Sticky {
        /** Legacy {@code STICKY_SESSION_TTL_HOURS} ({@code parseFloat}). */
        @WithDefault("1")
        double ttlHours();

        /** Legacy {@code STICKY_SESSION_RENEWAL_THRESHOLD_MINUTES}; 0 never renews. */
        @WithDefault("0")
        int renewalThresholdMinutes();
    }

    interface Usage {
        /**
         * {@code RELAY_USAGE_SPOOL_DIR}: where usage batches wait while Redis fails, replayed at the next start
         * (relative paths from the working directory). Needs a persistent volume in production.
         */
        @WithDefault("data/usage-spool")
        String spoolDir();
    }

    /** {@code GET /v1/models} beside the price file and the accounts ({@code api.anthropic.ModelCatalog}). */
    interface Models {
        /** {@code RELAY_MODELS_EXTRA}: ids always offered, comma-separated. */
        Optional<List<String>> extra();

        /** {@code RELAY_MODELS_HIDDEN}: ids never offered, comma-separated. */
        Optional<List<String>> hidden();
    }

    interface Admin {
        Optional<String> username();

        Optional<String> password();

        /** The legacy's {@code data/init.json} (default: {@code <data-dir>/init.json}). */
        Optional<String> initJson();

        /** {@code ADMIN_SESSION_TIMEOUT} in ms: answered as a login's {@code expiresIn}. */
        @WithDefault("86400000")
        long sessionTimeoutMs();

        /** Admin login attempts allowed per client address and per username in one window (a success clears them). */
        @WithDefault("900")
        long loginWindowSeconds();

        @WithDefault("10")
        long loginMaxPerAddress();

        @WithDefault("30")
        long loginMaxPerUser();

        /** The legacy dashboard's build ({@code web/admin-spa/dist}) served at {@code /admin-next/}; unset: none. */
        Optional<String> spaDir();
    }
}
