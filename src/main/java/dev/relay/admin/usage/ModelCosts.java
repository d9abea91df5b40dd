package dev.relay.admin.usage;

import dev.relay.admin.http.CostFormat;
import dev.relay.admin.http.JsonNumbers;
import dev.relay.usage.Cost;
import dev.relay.usage.CostCalculator;
import dev.relay.usage.Usage;
import io.vertx.core.json.JsonObject;

/** One model's tokens priced as the legacy's {@code CostCalculator.calculateCost} prices them, and its JSON. */
record ModelCosts(String model, long requests, long input, long output, long cacheCreate, long cacheRead, Cost cost) {

    static ModelCosts of(CostCalculator calculator, String model, long requests, long[] tokens) {
        Cost cost = calculator.accountCost(model, new Usage(tokens[0], tokens[1], tokens[2], tokens[3], 0, 0, model));
        return new ModelCosts(model, requests, tokens[0], tokens[1], tokens[2], tokens[3], cost);
    }

    JsonObject costs() {
        return new JsonObject().put("input", JsonNumbers.of(cost.input())).put("output", JsonNumbers.of(cost.output()))
                .put("cacheWrite", JsonNumbers.of(cost.cacheCreate())).put("cacheRead", JsonNumbers.of(cost.cacheRead()))
                .put("total", JsonNumbers.of(cost.total()));
    }

    JsonObject formatted() {
        return new JsonObject().put("input", CostFormat.format(cost.input())).put("output", CostFormat.format(cost.output()))
                .put("cacheWrite", CostFormat.format(cost.cacheCreate()))
                .put("cacheRead", CostFormat.format(cost.cacheRead())).put("total", CostFormat.format(cost.total()));
    }

    /** The usage-costs entry. */
    JsonObject entry() {
        return new JsonObject().put("model", model).put("requests", requests)
                .put("usage", new JsonObject().put("input_tokens", input).put("output_tokens", output)
                        .put("cache_creation_input_tokens", cacheCreate).put("cache_read_input_tokens", cacheRead))
                .put("costs", costs()).put("formatted", formatted()).put("usingDynamicPricing", cost.priced());
    }
}
