package dev.relay.account;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The legacy account-secret encryption (redis-keys.md §3): AES-256-CBC/PKCS#7, key = scrypt(ENCRYPTION_KEY, salt,
 * N=16384, r=8, p=1, 32 bytes), stored as {@code ivhex:cipherhex}. One instance per service salt; each service
 * reacts differently to text it cannot decrypt ({@link Service}).
 */
public final class SecretCipher {
    /** The legacy services, their salts and their decrypt-failure behaviour (redis-keys.md §3 table). */
    public enum Service {
        /** claudeAccountService.js: non-{@code iv:cipher} text tries createDecipher; failures return the input. */
        CLAUDE("salt", Failure.INPUT, Layout.SPLIT_TWO_PARTS, true),
        CLAUDE_CONSOLE("claude-console-salt", Failure.INPUT, Layout.SPLIT_TWO_PARTS, false),
        CCR("ccr-account-salt", Failure.INPUT, Layout.SPLIT_TWO_PARTS, false),
        /** geminiAccountService.js: IV = first 32 chars, ciphertext from char 33. */
        GEMINI("gemini-account-salt", Failure.EMPTY, Layout.FIXED_32, false),
        GEMINI_API("gemini-api-salt", Failure.EMPTY, Layout.SPLIT, false),
        /** openaiAccountService.js: requires {@code :} at index 32. */
        OPENAI("openai-account-salt", Failure.EMPTY, Layout.COLON_AT_32, false),
        OPENAI_RESPONSES("openai-responses-salt", Failure.EMPTY, Layout.SPLIT, false),
        /** Salt from {@code config.security.azureOpenaiSalt}, which the stock config does not set. */
        AZURE_OPENAI("azure-openai-account-default-salt", Failure.EMPTY, Layout.SPLIT, false),
        DROID("droid-account-salt", Failure.EMPTY, Layout.SPLIT, false);

        final String salt;
        final Failure failure;
        final Layout layout;
        final boolean legacyFallback;

        Service(String salt, Failure failure, Layout layout, boolean legacyFallback) {
            this.salt = salt;
            this.failure = failure;
            this.layout = layout;
            this.legacyFallback = legacyFallback;
        }

        public String salt() {
            return salt;
        }
    }

    enum Failure { INPUT, EMPTY }

    enum Layout { SPLIT_TWO_PARTS, SPLIT, FIXED_32, COLON_AT_32 }

    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** scrypt costs ~16 MiB and tens of ms: derive once per (ENCRYPTION_KEY, salt) per JVM, as the legacy does. */
    private static final Map<String, byte[]> DERIVED = new ConcurrentHashMap<>();

    private final Service service;
    private final String encryptionKey;

    public SecretCipher(Service service, String encryptionKey) {
        this.service = service;
        this.encryptionKey = encryptionKey;
    }

    public Service service() {
        return service;
    }

    /** The derived AES key (derived on first use, then cached). */
    public byte[] key() {
        return derivedKey(encryptionKey, service.salt).clone();
    }

    public static byte[] derivedKey(String encryptionKey, String salt) {
        return DERIVED.computeIfAbsent(salt + '\u0000' + encryptionKey, k -> Scrypt.derive(
                encryptionKey.getBytes(StandardCharsets.UTF_8), salt.getBytes(StandardCharsets.UTF_8),
                16384, 8, 1, 32));
    }

    /** Empty or null plaintext encrypts to {@code ""}; otherwise a fresh random IV. */
    public String encrypt(String plaintext) {
        if (plaintext == null || plaintext.isEmpty()) {
            return "";
        }
        byte[] iv = new byte[16];
        RANDOM.nextBytes(iv);
        return encrypt(plaintext, iv);
    }

    /** Deterministic form for tests and vectors. */
    public String encrypt(String plaintext, byte[] iv) {
        if (plaintext == null || plaintext.isEmpty()) {
            return "";
        }
        try {
            byte[] cipherText = aes(Cipher.ENCRYPT_MODE, derivedKey(encryptionKey, service.salt), iv,
                    plaintext.getBytes(StandardCharsets.UTF_8));
            return HEX.formatHex(iv) + ":" + HEX.formatHex(cipherText);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CBC unavailable", e);
        }
    }

    /** Decrypts with this service's tolerance: never throws; see {@link Service} for what failures return. */
    public String decrypt(String stored) {
        if (stored == null || stored.isEmpty()) {
            return "";
        }
        try {
            String[] parts = split(stored);
            if (parts != null) {
                return decryptParts(parts[0], parts[1]);
            }
            if (service.legacyFallback) {
                return decryptLegacy(stored);
            }
            if (service.failure == Failure.INPUT) {
                // Console/CCR: text that is not iv:cipher is returned as stored (pitfall P18)
                return stored;
            }
            return "";
        } catch (RuntimeException | GeneralSecurityException e) {
            return service.failure == Failure.INPUT ? stored : "";
        }
    }

    /** {ivHex, cipherHex}, or null when the text does not have this service's layout. */
    private String[] split(String stored) {
        switch (service.layout) {
            case SPLIT_TWO_PARTS: {
                String[] parts = stored.split(":", -1);
                return parts.length == 2 ? parts : null;
            }
            case SPLIT: {
                String[] parts = stored.split(":", -1);
                return parts.length >= 2 ? new String[] {parts[0], parts[1]} : null;
            }
            case FIXED_32:
                return stored.length() > 33 ? new String[] {stored.substring(0, 32), stored.substring(33)} : null;
            case COLON_AT_32:
                return stored.length() >= 33 && stored.charAt(32) == ':'
                        ? new String[] {stored.substring(0, 32), stored.substring(33)} : null;
            default:
                throw new IllegalStateException();
        }
    }

    private String decryptParts(String ivHex, String cipherHex) throws GeneralSecurityException {
        byte[] plain = aes(Cipher.DECRYPT_MODE, derivedKey(encryptionKey, service.salt), HEX.parseHex(ivHex),
                HEX.parseHex(cipherHex));
        return new String(plain, StandardCharsets.UTF_8);
    }

    /** Node's deprecated {@code crypto.createDecipher('aes-256-cbc', ENCRYPTION_KEY)}: EVP_BytesToKey, MD5, no salt. */
    private String decryptLegacy(String cipherHex) throws GeneralSecurityException {
        byte[] keyAndIv = bytesToKey(encryptionKey.getBytes(StandardCharsets.UTF_8));
        byte[] plain = aes(Cipher.DECRYPT_MODE, Arrays.copyOf(keyAndIv, 32), Arrays.copyOfRange(keyAndIv, 32, 48),
                HEX.parseHex(cipherHex));
        return new String(plain, StandardCharsets.UTF_8);
    }

    /** Encrypts like the legacy {@code createCipher} did, to test the fallback with values old data holds. */
    static String encryptLegacy(String encryptionKey, String plaintext) {
        byte[] keyAndIv = bytesToKey(encryptionKey.getBytes(StandardCharsets.UTF_8));
        try {
            return HEX.formatHex(aes(Cipher.ENCRYPT_MODE, Arrays.copyOf(keyAndIv, 32),
                    Arrays.copyOfRange(keyAndIv, 32, 48), plaintext.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytesToKey(byte[] password) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            byte[] out = new byte[48];
            byte[] previous = new byte[0];
            int filled = 0;
            while (filled < out.length) {
                md5.update(previous);
                md5.update(password);
                previous = md5.digest();
                int n = Math.min(previous.length, out.length - filled);
                System.arraycopy(previous, 0, out, filled, n);
                filled += n;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MD5 unavailable", e);
        }
    }

    static byte[] aes(int mode, byte[] key, byte[] iv, byte[] input) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        return cipher.doFinal(input);
    }
}
