package dev.relay.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Cipher;

/**
 * Bedrock's own scheme (bedrockAccountService.js, redis-keys.md §3): AES-256-CBC with key = SHA-256(ENCRYPTION_KEY),
 * stored as the JSON object {@code {"encrypted":hex,"iv":hex}} whose plaintext is the credentials JSON.
 */
public final class BedrockCipher {
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final byte[] key;

    public BedrockCipher(String encryptionKey) {
        try {
            this.key = MessageDigest.getInstance("SHA-256").digest(encryptionKey.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] key() {
        return key.clone();
    }

    /** Encrypts a credentials object ({@code accessKeyId}, {@code secretAccessKey}, ...) into the stored form. */
    public ObjectNode encrypt(JsonNode credentials) {
        byte[] iv = new byte[16];
        RANDOM.nextBytes(iv);
        return encrypt(credentials.toString(), iv);
    }

    ObjectNode encrypt(String credentialsJson, byte[] iv) {
        try {
            byte[] cipherText = SecretCipher.aes(Cipher.ENCRYPT_MODE, key, iv,
                    credentialsJson.getBytes(StandardCharsets.UTF_8));
            ObjectNode stored = JSON.createObjectNode();
            stored.put("encrypted", HEX.formatHex(cipherText));
            stored.put("iv", HEX.formatHex(iv));
            return stored;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The credentials object. A legacy plaintext object with {@code accessKeyId} is returned as is; anything else
     * that cannot be decrypted throws {@link IllegalArgumentException}, as the legacy does.
     */
    public JsonNode decrypt(JsonNode stored) {
        if (stored != null && stored.isObject()) {
            JsonNode encrypted = stored.get("encrypted");
            JsonNode iv = stored.get("iv");
            if (encrypted != null && encrypted.isTextual() && iv != null && iv.isTextual()) {
                try {
                    byte[] plain = SecretCipher.aes(Cipher.DECRYPT_MODE, key, HEX.parseHex(iv.asText()),
                            HEX.parseHex(encrypted.asText()));
                    return JSON.readTree(new String(plain, StandardCharsets.UTF_8));
                } catch (Exception e) {
                    throw new IllegalArgumentException("Bedrock credentials cannot be decrypted", e);
                }
            }
            if (stored.has("accessKeyId")) {
                return stored;
            }
        }
        throw new IllegalArgumentException("Bedrock credentials have an unknown format");
    }
}
