package dev.relay.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/**
 * Counts clients that closed their connection before their answer was complete, in
 * {@code relay_client_disconnects_total{phase}}. A client leaving is ordinary (Claude Code's Esc, a closed tab),
 * so it is counted here and logged at debug only; a sudden rise is what to watch.
 */
@Singleton
public class ClientDisconnects {
    public static final String METRIC = "relay_client_disconnects_total";

    /** Where the request was when its client left. */
    public enum Phase {
        /** Nothing was sent yet: the request waited for its turn, an account or the upstream's answer. */
        WAITING("waiting"),
        /** The answer had started: the stream was being forwarded. */
        STREAMING("streaming");

        private final String tag;

        Phase(String tag) {
            this.tag = tag;
        }
    }

    private final Counter waiting;
    private final Counter streaming;

    public ClientDisconnects(MeterRegistry meters) {
        this.waiting = counter(meters, Phase.WAITING);
        this.streaming = counter(meters, Phase.STREAMING);
    }

    private static Counter counter(MeterRegistry meters, Phase phase) {
        return Counter.builder(METRIC).description("Clients that closed the connection before their answer ended")
                .tag("phase", phase.tag).register(meters);
    }

    public void left(Phase phase) {
        (phase == Phase.WAITING ? waiting : streaming).increment();
    }
}
