package dev.relay.admin.keys;

import dev.relay.store.LegacyValues;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The key list's filters, order and paging over the keys' list fields (redis.js getApiKeysPaginated): only the page
 * is then read whole.
 */
final class ApiKeyListing {
    static final List<String> META_FIELDS = List.of("name", "createdAt", "expiresAt", "lastUsedAt", "isActive",
            "isDeleted", "tags", "userId", "userUsername", "createdBy", "claudeAccountId", "claudeConsoleAccountId",
            "geminiAccountId", "openaiAccountId", "azureOpenaiAccountId", "bedrockAccountId", "droidAccountId",
            "ccrAccountId");
    private static final Set<Integer> PAGE_SIZES = Set.of(10, 20, 50, 100);

    record Query(int page, int pageSize, String searchMode, String search, String tag, String isActive, String sortBy,
            String sortOrder) {
        static Query of(String page, String pageSize, String searchMode, String search, String tag, String isActive,
                String sortBy, String sortOrder) {
            int size = (int) LegacyValues.parseInt(pageSize);
            return new Query((int) Math.max(1, LegacyValues.parseInt(page == null ? "1" : page)),
                    PAGE_SIZES.contains(size) ? size : 20, searchMode == null ? "apiKey" : searchMode,
                    search == null ? "" : search, tag == null ? "" : tag, isActive == null ? "" : isActive,
                    sortBy == null || sortBy.isEmpty() ? "createdAt" : sortBy,
                    sortOrder == null || sortOrder.isEmpty() ? "desc" : sortOrder);
        }
    }

    record Page(List<String> ids, int page, int pageSize, int total, int totalPages, List<String> availableTags) {
    }

    private ApiKeyListing() {
    }

    /** {@code metas}: the list fields of every key (with {@code id}); missing keys have no {@code id}. */
    static Page page(List<Map<String, String>> metas, Query q) {
        List<Map<String, String>> live = new ArrayList<>();
        Set<String> tags = new TreeSet<>();
        for (Map<String, String> meta : metas) {
            if (meta.get("id") == null || "true".equals(meta.get("isDeleted"))) {
                continue;
            }
            live.add(meta);
            ApiKeyJson.array(meta.get("tags")).forEach(tag -> tags.add(String.valueOf(tag)));
        }
        List<Map<String, String>> kept = new ArrayList<>();
        String needle = q.search().toLowerCase(Locale.ROOT).trim();
        for (Map<String, String> meta : live) {
            if (!q.isActive().isEmpty() && "true".equals(meta.get("isActive")) != "true".equals(q.isActive())) {
                continue;
            }
            if (!q.tag().isEmpty() && !ApiKeyJson.array(meta.get("tags")).contains(q.tag())) {
                continue;
            }
            if (!needle.isEmpty() && !matches(meta, q.searchMode(), needle)) {
                continue;
            }
            kept.add(meta);
        }
        Comparator<Map<String, String>> order = comparator(q.sortBy());
        kept.sort("asc".equals(q.sortOrder()) ? order : order.reversed());
        int total = kept.size();
        int totalPages = Math.max(1, (total + q.pageSize() - 1) / q.pageSize());
        int page = Math.min(q.page(), totalPages);
        int from = Math.min(total, (page - 1) * q.pageSize());
        List<String> ids = new ArrayList<>();
        kept.subList(from, Math.min(total, from + q.pageSize())).forEach(meta -> ids.add(meta.get("id")));
        return new Page(ids, page, q.pageSize(), total, totalPages, new ArrayList<>(tags));
    }

    private static boolean matches(Map<String, String> meta, String mode, String needle) {
        if ("bindingAccount".equals(mode)) {
            for (String field : META_FIELDS) {
                if (field.endsWith("AccountId") && contains(meta.get(field), needle)) {
                    return true;
                }
            }
            return false;
        }
        return contains(meta.get("name"), needle) || contains(meta.get("userUsername"), needle)
                || contains(meta.get("createdBy"), needle);
    }

    private static boolean contains(String value, String needle) {
        return value != null && value.toLowerCase(Locale.ROOT).contains(needle);
    }

    private static Comparator<Map<String, String>> comparator(String sortBy) {
        switch (sortBy) {
            case "name":
                return Comparator.comparing(m -> m.getOrDefault("name", "").toLowerCase(Locale.ROOT));
            case "isActive":
            case "status":
                return Comparator.comparing(m -> "true".equals(m.get("isActive")));
            case "createdAt":
            case "expiresAt":
            case "lastUsedAt":
                return Comparator.comparingLong(m -> millis(m.get(sortBy)));
            default:
                // the legacy compares undefined values: the order stays as listed
                return (a, b) -> 0;
        }
    }

    private static long millis(String iso) {
        Instant at = LegacyValues.parseIso(iso);
        return at == null ? 0 : at.toEpochMilli();
    }
}
