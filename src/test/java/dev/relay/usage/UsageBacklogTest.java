package dev.relay.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Promise;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Group commit's bookkeeping: which batch a request joins, and what is held in memory only. */
@Tag("fast")
class UsageBacklogTest {
    private final UsageBacklog backlog = new UsageBacklog("abc", 2_000);

    private static UsageWrites request(String counter) {
        UsageWrites writes = new UsageWrites();
        writes.incr(counter, 1);
        return writes;
    }

    @Test
    void requestsMergeIntoTheOpenTailUntilItIsSealedOrFull() {
        backlog.add(request("a"), Promise.promise());
        backlog.add(request("a"), Promise.promise());
        UsageBatch first = backlog.head();
        assertEquals(2, first.events);
        assertEquals(2L, first.writes.increments.get("a"), "summed");
        assertEquals(2, first.waiting.size());

        first.sealed = true; // sent
        backlog.add(request("b"), Promise.promise());
        assertEquals(2, backlog.finish(first).size(), "who waits for the applied batch");
        UsageBatch second = backlog.head();
        assertEquals(2, second.seq, "a new batch, next in commit order");
        for (int i = 1; i < UsageBacklog.MAX_EVENTS; i++) {
            backlog.add(request("b"), Promise.promise());
        }
        assertEquals(UsageBacklog.MAX_EVENTS, second.events);
        assertFalse(backlog.open(second), "full");
        backlog.add(request("c"), Promise.promise());
        assertEquals(UsageBacklog.MAX_EVENTS + 1, backlog.memoryEvents());

        assertEquals(UsageBacklog.MAX_EVENTS, backlog.finish(second).size());
        assertEquals(3, backlog.head().seq);
        assertEquals(1L, backlog.head().writes.increments.get("c"));
        assertEquals(1, backlog.memoryEvents());
    }

    @Test
    void onlyEventsNotOnDiskCountAgainstTheMemoryLimit() {
        UsageBacklog small = new UsageBacklog("abc", 3);
        small.add(request("a"), Promise.promise());
        UsageBatch head = small.head();
        head.sealed = true;
        small.add(request("b"), Promise.promise());
        small.add(request("b"), Promise.promise());
        assertTrue(small.full(1));

        assertSame(head, small.nextToSpool());
        small.spooled(head, small.spooling(head) != null);
        assertNotNull(head.writes, "the head stays in memory: its turn may come any moment");
        UsageBatch tail = small.nextToSpool();
        small.spooled(tail, small.spooling(tail) != null);
        assertNull(tail.writes, "read back from the spool when its turn comes");
        assertNull(small.nextToSpool());
        assertEquals(0, small.memoryEvents());
        assertFalse(small.full(3));
        assertEquals(List.of(), small.unsaved(), "everything is on disk");
    }
}
