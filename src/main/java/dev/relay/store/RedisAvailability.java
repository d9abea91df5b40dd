package dev.relay.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Whether Redis answers, judged from every command's outcome: an outage begins with the first failure of a command
 * sent after the last answer, and ends with the next answer. One WARN when it begins and one INFO when it ends, not
 * one line per request. A command sent before the last answer that fails late (a connection that died with the old
 * server) does not start a new outage.
 */
public final class RedisAvailability {
    static final String REACHABLE = "relay_redis_reachable";
    static final String OUTAGES = "relay_redis_outages_total";
    private static final Logger LOG = Logger.getLogger(RedisAvailability.class);

    private final Counter outages;
    private final List<Runnable> onReachable = new CopyOnWriteArrayList<>();
    /** When the command last answered was sent (nanoTime); meaningful once {@link #answeredOnce}. */
    private long lastAnswerSentAt;
    private boolean answeredOnce;
    private long downSince;
    private boolean down;

    /** Without metrics (tests of single store classes). */
    public RedisAvailability() {
        this.outages = null;
    }

    public RedisAvailability(MeterRegistry meters) {
        Gauge.builder(REACHABLE, this, a -> a.reachable() ? 1 : 0)
                .description("1 while Redis answers, 0 during an outage (requests get 503)").register(meters);
        this.outages = Counter.builder(OUTAGES).description("Redis outages seen (unreachable or connection lost)")
                .register(meters);
    }

    /** Runs {@code action} each time an outage ends (on the thread that saw the first answer). */
    public void whenReachableAgain(Runnable action) {
        onReachable.add(action);
    }

    public synchronized boolean reachable() {
        return !down;
    }

    /** Milliseconds since the outage began, 0 while Redis answers. */
    public synchronized long downForMillis() {
        return down ? TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSince) : 0;
    }

    /** A command sent at {@code sentAt} (nanoTime) was answered (an error reply is an answer too). */
    void answered(long sentAt) {
        long lasted;
        synchronized (this) {
            if (!answeredOnce || sentAt - lastAnswerSentAt > 0) {
                lastAnswerSentAt = sentAt;
                answeredOnce = true;
            }
            if (!down) {
                return;
            }
            down = false;
            lasted = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSince);
        }
        LOG.infof("Redis answers again after %d ms: serving requests again", lasted);
        onReachable.forEach(Runnable::run);
    }

    /** A command sent at {@code sentAt} got no answer ({@code failure}: unreachable, connection lost). */
    void failed(long sentAt, Throwable failure) {
        synchronized (this) {
            if (down || (answeredOnce && sentAt - lastAnswerSentAt < 0)) {
                return;
            }
            down = true;
            downSince = System.nanoTime();
        }
        if (outages != null) {
            outages.increment();
        }
        LOG.warnf("Redis is unreachable (%s): requests get 503 until it answers again", failure.toString());
    }
}
