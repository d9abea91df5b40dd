package dev.relay.usage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An immutable, parsed price file with the legacy lookup (relay.md §8.1) and the newest priced Claude model of
 * each family. {@link PriceBook} swaps whole tables on reload.
 */
public final class PriceTable {
    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern REGION_PREFIX = Pattern.compile("^(us|eu|apac)\\.");
    private static final Pattern BEDROCK_VERSION = Pattern.compile("-v\\d+:\\d+$");
    /** A first-party Claude id ending in a release date, e.g. {@code claude-opus-4-1-20250805}. */
    private static final Pattern DATED_CLAUDE = Pattern.compile("^claude-[a-z0-9.-]*-(\\d{8})$");
    public static final List<String> FAMILIES = List.of("opus", "sonnet", "haiku");

    private final String source;
    private final Map<String, ModelPrice> byName;
    private final List<String> names;
    private final List<String> fuzzyNames;
    private final Map<String, String> byBedrockCore;
    private final Map<String, ModelPrice> newestByFamily;

    private PriceTable(String source, LinkedHashMap<String, ModelPrice> entries) {
        this.source = source;
        this.byName = Collections.unmodifiableMap(entries);
        this.names = List.copyOf(entries.keySet());
        List<String> fuzzy = new ArrayList<>(names.size());
        Map<String, String> cores = new HashMap<>();
        for (String name : names) {
            fuzzy.add(fuzzyForm(name));
            if (isBedrockId(name)) {
                cores.putIfAbsent(bedrockCore(name), name);
            }
        }
        this.fuzzyNames = List.copyOf(fuzzy);
        this.byBedrockCore = Map.copyOf(cores);
        this.newestByFamily = Map.copyOf(newestByFamily(entries));
    }

    /** Parses a LiteLLM {@code model_prices_and_context_window.json} with the streaming parser. */
    public static PriceTable parse(InputStream in, String source) throws IOException {
        LinkedHashMap<String, ModelPrice> entries = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("price file " + source + " is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                }
                entries.putIfAbsent(name, readEntry(name, p));
            }
        }
        if (entries.isEmpty()) {
            throw new IOException("price file " + source + " has no models");
        }
        return new PriceTable(source, entries);
    }

    private static ModelPrice readEntry(String name, JsonParser p) throws IOException {
        double input = 0;
        double output = 0;
        double cacheCreate = 0;
        double cacheCreate1h = Double.NaN;
        double cacheRead = 0;
        String provider = null;
        long maxTokens = 0;
        long maxOutputTokens = 0;
        String deprecationDate = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "input_cost_per_token" -> input = number(p, t, 0);
                case "output_cost_per_token" -> output = number(p, t, 0);
                case "cache_creation_input_token_cost" -> cacheCreate = number(p, t, 0);
                case "cache_creation_input_token_cost_above_1hr" -> cacheCreate1h = number(p, t, Double.NaN);
                case "cache_read_input_token_cost" -> cacheRead = number(p, t, 0);
                case "litellm_provider" -> provider = t == JsonToken.VALUE_STRING ? p.getText() : null;
                case "max_tokens" -> maxTokens = (long) number(p, t, 0);
                case "max_output_tokens" -> maxOutputTokens = (long) number(p, t, 0);
                case "deprecation_date" -> deprecationDate = t == JsonToken.VALUE_STRING ? p.getText() : null;
                default -> p.skipChildren();
            }
        }
        return new ModelPrice(name, input, output, cacheCreate, cacheCreate1h, cacheRead, provider, maxTokens,
                maxOutputTokens, deprecationDate);
    }

    private static double number(JsonParser p, JsonToken t, double absent) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDoubleValue();
        }
        if (t == JsonToken.VALUE_STRING) {
            try {
                return Double.parseDouble(p.getText().strip());
            } catch (NumberFormatException e) {
                return absent;
            }
        }
        p.skipChildren();
        return absent;
    }

    public String source() {
        return source;
    }

    public int size() {
        return byName.size();
    }

    /** Every entry, in file order. */
    public Collection<ModelPrice> entries() {
        return byName.values();
    }

    /** Exact entry only. */
    public Optional<ModelPrice> exact(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The legacy lookup (relay.md §8.1): exact → {@code gpt-5-codex} as {@code gpt-5} → Bedrock id without its
     * region prefix → fuzzy (first key in file order whose lower-case, dash/underscore-free form contains the
     * model's or is contained in it) → Bedrock core name → none.
     */
    public Optional<ModelPrice> find(String model) {
        if (model == null || model.isEmpty()) {
            return Optional.empty();
        }
        ModelPrice hit = byName.get(model);
        if (hit != null) {
            return Optional.of(hit);
        }
        if (model.equals("gpt-5-codex") && byName.containsKey("gpt-5")) {
            return Optional.of(byName.get("gpt-5"));
        }
        if (isBedrockId(model)) {
            hit = byName.get(REGION_PREFIX.matcher(model).replaceFirst(""));
            if (hit != null) {
                return Optional.of(hit);
            }
        }
        String wanted = fuzzyForm(model);
        for (int i = 0; i < fuzzyNames.size(); i++) {
            String candidate = fuzzyNames.get(i);
            if (candidate.contains(wanted) || wanted.contains(candidate)) {
                return Optional.of(byName.get(names.get(i)));
            }
        }
        if (isBedrockId(model)) {
            String key = byBedrockCore.get(bedrockCore(model));
            if (key != null) {
                return Optional.of(byName.get(key));
            }
        }
        return Optional.empty();
    }

    /** The newest priced first-party model of a Claude family, see {@link #newestByFamily}. */
    public Optional<ModelPrice> newestOfFamily(String family) {
        return Optional.ofNullable(newestByFamily.get(family));
    }

    /** {@code opus}/{@code sonnet}/{@code haiku} for Claude names, else {@code unknown}. */
    public static String familyOf(String model) {
        String lower = model == null ? "" : model.toLowerCase(Locale.ROOT);
        if (lower.contains("claude")) {
            for (String family : FAMILIES) {
                if (lower.contains(family)) {
                    return family;
                }
            }
        }
        return "unknown";
    }

    /**
     * Per family, the entry named {@code claude-…-YYYYMMDD} (no provider prefix) containing the family word, with
     * input and output prices, and the latest date; on equal dates the first one in file order wins.
     */
    private static Map<String, ModelPrice> newestByFamily(Map<String, ModelPrice> entries) {
        Map<String, ModelPrice> newest = new HashMap<>();
        Map<String, String> newestDate = new HashMap<>();
        for (ModelPrice price : entries.values()) {
            Matcher m = DATED_CLAUDE.matcher(price.name());
            if (!m.matches() || price.input() <= 0 || price.output() <= 0) {
                continue;
            }
            String family = familyOf(price.name());
            if (family.equals("unknown")) {
                continue;
            }
            String date = m.group(1);
            String best = newestDate.get(family);
            if (best == null || date.compareTo(best) > 0) {
                newestDate.put(family, date);
                newest.put(family, price);
            }
        }
        return newest;
    }

    private static String fuzzyForm(String name) {
        return name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    private static boolean isBedrockId(String name) {
        return name.contains(".anthropic.") || name.contains(".claude") || name.startsWith("anthropic.");
    }

    /** {@code us.anthropic.claude-x-v1:0} → {@code claude-x}. */
    private static String bedrockCore(String name) {
        String core = REGION_PREFIX.matcher(name).replaceFirst("");
        int at = core.indexOf("anthropic.");
        if (at >= 0) {
            core = core.substring(at + "anthropic.".length());
        }
        return BEDROCK_VERSION.matcher(core).replaceFirst("");
    }
}
