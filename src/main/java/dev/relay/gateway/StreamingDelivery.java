package dev.relay.gateway;

import dev.relay.account.Account;
import dev.relay.scheduler.AccountSelection;

/** A {@link Delivery} that passes a successful streaming answer on as it arrives. */
public interface StreamingDelivery<A extends Account> extends Delivery<A> {
    /** A successful streaming answer; the client's head is not written yet. */
    void stream(AccountSelection<A> selection, UpstreamCall call);
}
