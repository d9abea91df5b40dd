package dev.relay.gateway;

import dev.relay.account.Account;
import dev.relay.account.AccountStore;
import dev.relay.usage.Usage;
import dev.relay.usage.UsageDeferred;
import dev.relay.usage.UsageEvent;
import dev.relay.usage.UsageSink;
import io.vertx.core.Vertx;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Bills one flight exactly once, whatever ends it (answer, upstream cut, client gone): the usage read from the
 * answer goes to the usage sink with the account's {@code lastUsedAt}; without usage only the account is touched.
 */
public final class Billing {
    private static final Logger LOG = Logger.getLogger(Billing.class);

    private final Vertx vertx;
    private final UsageSink usage;
    private final Flight flight;
    private Account account;
    private Consumer<String> touchAccount;
    /** When the current answer will be billed: the account's {@code lastUsedAt}, written with the usage. */
    private String touchWithUsage;
    private boolean billed;

    public Billing(Vertx vertx, UsageSink usage, Flight flight) {
        this.vertx = vertx;
        this.usage = usage;
        this.flight = flight;
    }

    /** The account now serving the flight (failover may change it). */
    void account(Account serving, Consumer<String> touch) {
        this.account = serving;
        this.touchAccount = touch;
    }

    /** The account's {@code lastUsedAt} is written with the bill instead of on its own. */
    void touchWithUsage(String iso) {
        touchWithUsage = iso;
    }

    /** Bills once per flight; later calls (e.g. a disconnect after the end) are ignored. */
    public void bill(Usage used) {
        if (billed) {
            return;
        }
        billed = true;
        String touch = touchWithUsage;
        if (used == null) {
            if (touch != null && account != null) {
                touchAccount.accept(touch);
            }
            return;
        }
        var key = flight.key().key();
        UsageEvent event = new UsageEvent(key.id(), key.name(), key.userId(), account == null ? null : account.id(),
                account == null ? null : account.platform().usageLabel(),
                flight.request().schedulingModel(), used, flight.startedAt(), flight.key().windowActive());
        String hash = touch == null || account == null ? null : AccountStore.key(account.platform(), account.id());
        // planned and sent in the next event-loop turn: the answer being written now goes out first, instead of
        // waiting behind the few hundred counter updates of its own bill
        vertx.runOnContext(v -> record(event, hash, touch));
    }

    private void record(UsageEvent event, String accountHash, String touch) {
        usage.record(event, accountHash, touch).onFailure(e -> {
            if (e instanceof UsageDeferred) {
                // not lost: the usage queue logs each waiting batch (WARN) and writes it when Redis is back
                LOG.debugf("usage of key %s deferred: %s", event.keyId(), e.getMessage());
            } else {
                LOG.errorf(e, "usage of key %s lost", event.keyId());
            }
        });
    }
}
