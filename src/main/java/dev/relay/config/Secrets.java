package dev.relay.config;

import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The secrets the gateway cannot run without. In production they must be given; in a local trial run (embedded
 * Redis) missing ones are generated once and kept in the data folder, so restarts can still decrypt.
 */
@Singleton
public class Secrets {
    /** The legacy's {@code .env.example} value: a deployment still using it has no secret at all. */
    static final String LEGACY_PLACEHOLDER_KEY = "CHANGE-THIS-32-CHARACTER-KEY-NOW";

    private final String encryptionKey;
    private final String jwtSecret;
    private final String adminUsername;
    private final String adminPassword;

    public Secrets(RelayConfig config, ServiceEndpoints endpoints) {
        boolean local = endpoints.localTrial();
        Properties generated = local ? loadOrCreateLocal(Path.of(config.dataDir(), "local-secrets.properties")) : null;
        this.encryptionKey = require("ENCRYPTION_KEY", config.security().encryptionKey().orElse(null), generated,
                "encryptionKey", 32);
        this.jwtSecret = require("JWT_SECRET", config.security().jwtSecret().orElse(null), generated, "jwtSecret", 32);
        this.adminUsername = config.admin().username().orElse("admin");
        this.adminPassword = config.admin().password()
                .orElseGet(() -> generated == null ? null : generated.getProperty("adminPassword"));
        if (LEGACY_PLACEHOLDER_KEY.equals(encryptionKey) && !local) {
            throw new IllegalStateException("ENCRYPTION_KEY is still the placeholder from .env.example; "
                    + "set the key the legacy service uses (secrets written by it must stay readable)");
        }
    }

    public String encryptionKey() {
        return encryptionKey;
    }

    public String jwtSecret() {
        return jwtSecret;
    }

    public String adminUsername() {
        return adminUsername;
    }

    /** Null when the operator manages admin credentials through the legacy's data/init.json only. */
    public String adminPassword() {
        return adminPassword;
    }

    private static String require(String variable, String configured, Properties generated, String name,
            int minLength) {
        if (configured != null && !configured.isBlank()) {
            if (generated == null && configured.length() < minLength) {
                throw new IllegalStateException(variable + " is shorter than " + minLength + " characters");
            }
            return configured;
        }
        if (generated != null) {
            return generated.getProperty(name);
        }
        throw new IllegalStateException(variable + " is not set. Use the same value as the legacy service "
                + "that shares this Redis (it hashes API keys and encrypts account secrets).");
    }

    private static Properties loadOrCreateLocal(Path file) {
        Properties props = new Properties();
        try {
            if (Files.exists(file)) {
                try (Reader in = Files.newBufferedReader(file)) {
                    props.load(in);
                }
                return props;
            }
            Files.createDirectories(file.getParent());
            props.setProperty("encryptionKey", randomHex(16));
            props.setProperty("jwtSecret", randomHex(32));
            props.setProperty("adminPassword", randomHex(8));
            try (Writer out = Files.newBufferedWriter(file)) {
                props.store(out, "Generated for a local trial run; production reads ENCRYPTION_KEY etc. from the environment");
            }
            return props;
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep local secrets in " + file, e);
        }
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
