package dev.relay.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class PollBackoffTest {

    @Test
    void delaysGrowByTheFactorWithinTheirJitterUpToTheCap() {
        PollBackoff queue = new PollBackoff(200, 1.5, 0.2, 2000);
        for (int i = 0; i < 1000; i++) {
            long first = queue.delayMs(0);
            long third = queue.delayMs(2);
            long late = queue.delayMs(30);
            assertTrue(first >= 160 && first <= 240, "first delay " + first);
            assertTrue(third >= 360 && third <= 540, "third delay " + third);
            assertTrue(late >= 1600 && late <= 2000, "capped delay " + late);
        }
    }

    @Test
    void neverBelowOneMillisecond() {
        PollBackoff tiny = new PollBackoff(0, 1.5, 0.15, 500);
        assertTrue(tiny.delayMs(0) >= 1);
    }
}
