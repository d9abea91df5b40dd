package dev.relay.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The stored form of a client API key (redis-keys.md §1.5): hex SHA-256 of UTF-8(rawKey + ENCRYPTION_KEY). */
public final class ApiKeyHasher {
    private ApiKeyHasher() {
    }

    public static String hash(String rawKey, String encryptionKey) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest((rawKey + encryptionKey).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
