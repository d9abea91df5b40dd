package dev.relay.usage;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** The model name as it appears inside usage keys (redis-keys.md §2.2, redis.js {@code _normalizeModelName}). */
public final class ModelKeyName {
    private static final Pattern LEADING_SEGMENT = Pattern.compile("^[a-z0-9-]+\\.");
    private static final Pattern BEDROCK_VERSION = Pattern.compile("-v\\d+:\\d+$");
    private static final Pattern VERSION_OR_LATEST = Pattern.compile("(-v\\d+:\\d+|:latest)$");
    /** Every billed request needs its model's key name twice; a deployment sees a few dozen distinct models. */
    private static final int CACHE_LIMIT = 1_024;
    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private ModelKeyName() {
    }

    /**
     * {@code us.anthropic.claude-sonnet-4-20250514-v1:0} → {@code claude-sonnet-4-20250514}; other names lose a
     * trailing {@code -v<d>:<d>} or {@code :latest}; {@code unknown}/empty stay as they are. Colons elsewhere
     * are kept (pitfall P9: write exactly what the legacy writes).
     */
    public static String of(String model) {
        if (model == null || model.isEmpty() || model.equals("unknown")) {
            return model == null ? "" : model;
        }
        String cached = CACHE.get(model);
        if (cached != null) {
            return cached;
        }
        if (CACHE.size() >= CACHE_LIMIT) {
            CACHE.clear(); // model names come from clients: never let them grow the cache without bound
        }
        String name = normalize(model);
        CACHE.put(model, name);
        return name;
    }

    private static String normalize(String model) {
        if (model.contains(".anthropic.") || model.contains(".claude")) {
            String name = LEADING_SEGMENT.matcher(model).replaceFirst("");
            name = name.replaceFirst(Pattern.quote("anthropic."), "");
            return BEDROCK_VERSION.matcher(name).replaceFirst("");
        }
        return VERSION_OR_LATEST.matcher(model).replaceFirst("");
    }

    /** The fork's cost model: the requested model without a {@code ccr,} vendor prefix (any case). */
    public static String costModel(String requestedModel, String responseModel) {
        String model = requestedModel == null || requestedModel.isEmpty() ? responseModel : requestedModel;
        if (model == null || model.isEmpty()) {
            return "unknown";
        }
        return model.regionMatches(true, 0, "ccr,", 0, 4) ? model.substring(4) : model;
    }
}
