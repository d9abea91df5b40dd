package dev.relay.gateway.api.anthropic;

import dev.relay.gateway.Billing;
import dev.relay.usage.Usage;

/** A generation's bill: once through {@link Billing}, and the same usage to the Claude Code attribution metrics. */
final class AttributedBill {
    private final Billing billing;
    private final ClaudeCodeAttribution attribution;
    private final ClaudeCodeAttribution.Source source;
    private boolean done;

    AttributedBill(Billing billing, ClaudeCodeAttribution attribution, ClaudeCodeAttribution.Source source) {
        this.billing = billing;
        this.attribution = attribution;
        this.source = source;
    }

    void bill(Usage usage) {
        billing.bill(usage);
        if (!done) {
            done = true;
            attribution.billed(source, usage);
        }
    }
}
