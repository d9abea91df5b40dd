package dev.relay.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Owns the unified scheduler's sticky mappings {@code unified_claude_session_mapping:{hash}} and the OpenAI /
 * Gemini variants (redis-keys.md §2.7, relay.md §4.2): a compact JSON STRING
 * {@code {"accountId":"…","accountType":"…"}} written with SETEX.
 */
@Singleton
public class StickySessions {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Which scheduler's mapping. */
    public enum Family {
        CLAUDE("unified_claude_session_mapping:"),
        OPENAI("unified_openai_session_mapping:"),
        GEMINI("unified_gemini_session_mapping:");

        private final String prefix;

        Family(String prefix) {
            this.prefix = prefix;
        }

        String key(String sessionHash) {
            return prefix + sessionHash;
        }
    }

    private final RedisStore store;

    public StickySessions(RedisStore store) {
        this.store = store;
    }

    /** SETEX seconds for {@code STICKY_SESSION_TTL_HOURS}: {@code max(1, floor(hours * 3600))}. */
    public static long ttlSeconds(double stickyTtlHours) {
        return Math.max(1, (long) Math.floor(stickyTtlHours * 3600));
    }

    public Future<Optional<SessionMapping>> get(String sessionHash) {
        return get(Family.CLAUDE, sessionHash);
    }

    public Future<Optional<SessionMapping>> get(Family family, String sessionHash) {
        return store.send(Request.cmd(Command.GET).arg(family.key(sessionHash)))
                .map(reply -> reply == null ? Optional.empty() : parse(reply.toString()));
    }

    public Future<Void> set(String sessionHash, String accountId, String accountType, long ttlSeconds) {
        return set(Family.CLAUDE, sessionHash, accountId, accountType, ttlSeconds);
    }

    public Future<Void> set(Family family, String sessionHash, String accountId, String accountType,
                            long ttlSeconds) {
        return store.send(Request.cmd(Command.SETEX).arg(family.key(sessionHash)).arg(ttlSeconds)
                        .arg(encode(accountId, accountType)))
                .mapEmpty();
    }

    public Future<Boolean> renewIfBelow(String sessionHash, long fullTtlSeconds, double thresholdMinutes) {
        return renewIfBelow(Family.CLAUDE, sessionHash, fullTtlSeconds, thresholdMinutes);
    }

    /**
     * The legacy renewal rule on a sticky hit (§2.7): {@code TTL key}; missing (−2) or no TTL (−1) → nothing; with
     * a threshold > 0 and fewer than {@code threshold * 60} seconds left → {@code EXPIRE key fullTtl}. A threshold of
     * 0 never renews. Returns whether the TTL was re-armed.
     */
    public Future<Boolean> renewIfBelow(Family family, String sessionHash, long fullTtlSeconds,
                                        double thresholdMinutes) {
        if (thresholdMinutes <= 0) {
            return Future.succeededFuture(false);
        }
        String key = family.key(sessionHash);
        return store.send(Request.cmd(Command.TTL).arg(key)).compose(reply -> {
            long remaining = reply.toLong();
            if (remaining < 0 || remaining >= thresholdMinutes * 60) {
                return Future.succeededFuture(false);
            }
            return store.send(Request.cmd(Command.EXPIRE).arg(key).arg(fullTtlSeconds)).map(r -> r.toLong() == 1);
        });
    }

    public Future<Void> delete(String sessionHash) {
        return delete(Family.CLAUDE, sessionHash);
    }

    public Future<Void> delete(Family family, String sessionHash) {
        return store.send(Request.cmd(Command.DEL).arg(family.key(sessionHash))).mapEmpty();
    }

    /** Compact JSON in the legacy's key order: {@code {"accountId":"…","accountType":"…"}}. */
    static String encode(String accountId, String accountType) {
        ObjectNode node = JSON.createObjectNode();
        node.put("accountId", accountId);
        node.put("accountType", accountType);
        return node.toString();
    }

    /** The legacy JSON, the Go proxy's JSON (P12) or a bare account id; empty for blank or id-less values. */
    static Optional<SessionMapping> parse(String stored) {
        String text = stored.trim();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (!text.startsWith("{")) {
            return Optional.of(new SessionMapping(text, null));
        }
        try {
            JsonNode node = JSON.readTree(text);
            String accountId = textOrNull(node.get("accountId"));
            if (accountId == null || accountId.isEmpty()) {
                return Optional.empty();
            }
            String accountType = textOrNull(node.get("accountType"));
            if (accountType != null && (accountType.isEmpty() || accountType.equals("unknown"))) {
                accountType = null;
            }
            return Optional.of(new SessionMapping(accountId, accountType));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
