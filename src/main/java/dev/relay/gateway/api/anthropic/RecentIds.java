package dev.relay.gateway.api.anthropic;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;

/**
 * Ids seen lately (Claude Code session or prompt ids), to count them without making a metric series of each: at
 * most {@code capacity} are remembered, the least recently seen forgotten first.
 */
final class RecentIds {
    private final int capacity;
    private final Clock clock;
    /** Id → last seen (ms), in access order: the eldest is the least recently seen. */
    private final LinkedHashMap<String, Long> lastSeen = new LinkedHashMap<>(1024, 0.75f, true);

    RecentIds(int capacity, Clock clock) {
        this.capacity = capacity;
        this.clock = clock;
    }

    /** Records a sighting; true when the id was not remembered (new, or forgotten since). */
    synchronized boolean seen(String id) {
        boolean fresh = lastSeen.put(id, clock.millis()) == null;
        if (fresh && lastSeen.size() > capacity) {
            var eldest = lastSeen.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        return fresh;
    }

    /** How many were seen within {@code window}. */
    synchronized long seenWithin(Duration window) {
        long since = clock.millis() - window.toMillis();
        return lastSeen.values().stream().filter(at -> at >= since).count();
    }
}
