package dev.relay.gateway.api.anthropic;

import dev.relay.account.ClaudeConsoleAccount;
import dev.relay.auth.ApiKey;
import dev.relay.config.RelayConfig;
import dev.relay.scheduler.ConsoleAccountPool;
import dev.relay.store.LegacyClock;
import dev.relay.usage.ModelPrice;
import dev.relay.usage.PriceBook;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /v1/models}, built from data on every call, so a new price file, a changed account or a restart-free
 * setting shows at once: the Claude models of the price file that are not past their deprecation date, the model
 * names the Claude accounts map or allow, and the ids of {@code relay.models.extra}; less {@code
 * relay.models.hidden} and the key's blocked models. When every account is limited to a model list, only those
 * models are offered. Each entry carries Anthropic's fields ({@code type}, {@code display_name},
 * {@code created_at}; what Claude Code's model discovery reads) and the legacy's ({@code object}, {@code created},
 * {@code owned_by}; fixture 09).
 */
@Singleton
public class ModelCatalog {
    private final PriceBook prices;
    private final ConsoleAccountPool accounts;
    private final List<String> extra;
    private final Set<String> hidden;

    @Inject
    public ModelCatalog(PriceBook prices, ConsoleAccountPool accounts, RelayConfig config) {
        this.prices = prices;
        this.accounts = accounts;
        this.extra = clean(config.models().extra().orElse(List.of()));
        this.hidden = Set.copyOf(clean(config.models().hidden().orElse(List.of())));
    }

    public Future<JsonObject> listFor(ApiKey key, Instant now) {
        return accounts.all().map(pool -> render(ids(prices.table().entries(), pool, extra, hidden, now), key, now));
    }

    /** The ids offered, newest version first (then newest release); pure, for tests. */
    static List<String> ids(Collection<ModelPrice> priced, List<ClaudeConsoleAccount> pool, List<String> extra,
            Set<String> hidden, Instant now) {
        Set<String> ids = new LinkedHashSet<>();
        boolean anyUnrestricted = pool.isEmpty();
        for (ClaudeConsoleAccount account : pool) {
            if (!account.active() && !"rate_limited".equals(account.status())) {
                continue;
            }
            ids.addAll(account.modelMapping().keySet());
            ids.addAll(account.modelAllowList());
            anyUnrestricted |= account.modelMapping().isEmpty() && account.modelAllowList().isEmpty();
        }
        if (anyUnrestricted) {
            ids.addAll(currentClaudeModels(priced, now));
        }
        ids.addAll(extra);
        ids.removeAll(hidden);
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(Comparator.comparingInt((String id) -> new ClaudeModelId(id).version()).reversed()
                .thenComparing(Comparator.comparingLong((String id) -> new ClaudeModelId(id).releasedEpochSecond())
                        .reversed())
                .thenComparing(Comparator.naturalOrder()));
        return sorted;
    }

    /** First-party Claude ids of the price file, not deprecated by {@code now}; an undated alias only when alone. */
    static List<String> currentClaudeModels(Collection<ModelPrice> priced, Instant now) {
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        Set<String> current = new LinkedHashSet<>();
        for (ModelPrice price : priced) {
            ClaudeModelId id = new ClaudeModelId(price.name());
            if ("anthropic".equals(price.provider()) && id.anthropicNaming() && !price.name().endsWith("-latest")
                    && !deprecated(price.deprecationDate(), today)) {
                current.add(price.name());
            }
        }
        Set<String> dated = new LinkedHashSet<>();
        for (String id : current) {
            if (!id.equals(new ClaudeModelId(id).undated())) {
                dated.add(new ClaudeModelId(id).undated());
            }
        }
        current.removeIf(dated::contains);
        return List.copyOf(current);
    }

    private static boolean deprecated(String date, LocalDate today) {
        if (date == null || date.isBlank()) {
            return false;
        }
        try {
            return !LocalDate.parse(date.strip()).isAfter(today);
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    private static JsonObject render(List<String> ids, ApiKey key, Instant now) {
        JsonArray data = new JsonArray();
        for (String id : ids) {
            if (key.enableModelRestriction() && key.restrictedModels().contains(id)) {
                continue;
            }
            ClaudeModelId model = new ClaudeModelId(id);
            long released = model.releasedEpochSecond();
            data.add(new JsonObject().put("type", "model").put("id", id).put("display_name", model.displayName())
                    .put("created_at", LegacyClock.iso(released > 0 ? Instant.ofEpochSecond(released) : now))
                    .put("object", "model").put("created", now.getEpochSecond()).put("owned_by", "anthropic"));
        }
        JsonObject list = new JsonObject().put("object", "list").put("data", data).put("has_more", false);
        if (!data.isEmpty()) {
            list.put("first_id", data.getJsonObject(0).getString("id"))
                    .put("last_id", data.getJsonObject(data.size() - 1).getString("id"));
        } else {
            list.putNull("first_id").putNull("last_id");
        }
        return list;
    }

    private static List<String> clean(List<String> ids) {
        return ids.stream().map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
    }
}
