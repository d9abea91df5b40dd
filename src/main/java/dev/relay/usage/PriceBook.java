package dev.relay.usage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Model prices (relay.md §8.1). Loads the operator's file ({@code relay.pricing.file}) or the bundled copy,
 * swaps an immutable {@link PriceTable} on {@link #reload()} and re-reads the file when its mtime changes
 * (checked every 60 s). Models without a price are priced by their Claude family (product rule, not legacy).
 */
@Singleton
public class PriceBook {
    public static final String BUNDLED = "pricing/model_prices_and_context_window.json";
    public static final String FALLBACK_METRIC = "relay_pricing_fallback_total";
    static final long CHECK_INTERVAL_MS = 60_000;
    /** Model names come from clients: bound the warn-once memory and the metric's tag cardinality. */
    static final int MAX_TRACKED_MODELS = 1000;
    private static final Logger LOG = Logger.getLogger(PriceBook.class);

    private final Path file;
    private final MeterRegistry meters;
    private final AtomicReference<PriceTable> table = new AtomicReference<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private volatile FileTime loadedMtime;
    private Vertx vertx;
    private long timerId = -1;

    @Inject
    public PriceBook(@ConfigProperty(name = "relay.pricing.file") Optional<String> file, MeterRegistry meters,
            Vertx vertx) {
        this(file.filter(f -> !f.isBlank()).map(Path::of).orElse(null), meters, vertx, CHECK_INTERVAL_MS);
    }

    /** Also starts the mtime check every {@code intervalMs} (blocking file IO runs on a worker thread). */
    PriceBook(Path file, MeterRegistry meters, Vertx vertx, long intervalMs) {
        this(file, meters);
        this.vertx = vertx;
        if (file != null) {
            this.timerId = vertx.setPeriodic(intervalMs,
                    id -> vertx.executeBlocking(this::reloadIfChanged, false)
                            .onFailure(e -> LOG.warnf("price file check failed: %s", e.toString())));
        }
    }

    /** For plain use: {@code file} may be null (bundled prices only); no timer is started. */
    public PriceBook(Path file, MeterRegistry meters) {
        this.file = file;
        this.meters = meters;
        try {
            reload();
        } catch (RuntimeException e) {
            LOG.errorf("cannot load price file %s (%s); using the bundled prices", file, e.getMessage());
            table.set(loadBundled());
        }
    }

    /**
     * Re-reads the configured file (or the bundled one when none is configured or it is missing) and swaps the
     * snapshot. Blocking file IO: call it off the event loop. A broken file keeps the current prices and throws.
     *
     * @return the number of models now known
     */
    public synchronized int reload() {
        PriceTable next;
        FileTime mtime = null;
        if (file != null && Files.isRegularFile(file)) {
            try {
                mtime = Files.getLastModifiedTime(file);
                try (InputStream in = Files.newInputStream(file)) {
                    next = PriceTable.parse(in, file.toString());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("price file " + file + " unreadable: " + e.getMessage(), e);
            }
        } else {
            if (file != null) {
                LOG.warnf("price file %s not found; using the bundled prices", file);
            }
            next = loadBundled();
        }
        table.set(next);
        loadedMtime = mtime;
        LOG.infof("loaded %d model prices from %s", next.size(), next.source());
        return next.size();
    }

    /** Reloads when the configured file's mtime differs from the loaded one; true when it reloaded. */
    public synchronized boolean reloadIfChanged() {
        if (file == null) {
            return false;
        }
        FileTime now;
        try {
            now = Files.getLastModifiedTime(file);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (now.equals(loadedMtime)) {
            return false;
        }
        reload();
        return true;
    }

    /** The current snapshot (never null). */
    public PriceTable table() {
        return table.get();
    }

    /** The legacy lookup only, no family fallback (e.g. for the §5.2.2 max_tokens clamp). */
    public Optional<ModelPrice> find(String model) {
        return table.get().find(model);
    }

    /**
     * The price used for billing: the legacy lookup, else the newest priced model of the Claude family, else
     * none. Every fallback is counted; the first one per model name is logged.
     */
    public PriceMatch price(String requested) {
        String model = requested == null ? "" : requested;
        PriceTable current = table.get();
        Optional<ModelPrice> found = current.find(model);
        if (found.isPresent()) {
            return new PriceMatch(model, found.get(), null);
        }
        String family = PriceTable.familyOf(model);
        ModelPrice byFamily = current.newestOfFamily(family).orElse(null);
        boolean first = warned.size() < MAX_TRACKED_MODELS && warned.add(model);
        boolean tracked = first || warned.contains(model);
        if (first) {
            if (byFamily != null) {
                LOG.warnf("no price for model %s: using %s (newest priced %s model)", model, byFamily.name(),
                        family);
            } else {
                LOG.warnf("no price for model %s (family %s): cost 0", model, family);
            }
        }
        Counter.builder(FALLBACK_METRIC)
                .description("Requests priced without an exact price entry for their model")
                .tag("model", tracked ? model : "other")
                .tag("family", family)
                .register(meters)
                .increment();
        return new PriceMatch(model, byFamily, family);
    }

    private static PriceTable loadBundled() {
        try (InputStream in = PriceBook.class.getClassLoader().getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("bundled price file " + BUNDLED + " missing");
            }
            return PriceTable.parse(in, "classpath:" + BUNDLED);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @PreDestroy
    void stop() {
        if (vertx != null && timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }
}
