package dev.relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The slow-stream phase's RSS trace: quarter points, quarter means and the flatness verdict. */
@Tag("fast")
class SlowStreamPhaseTest {

    private static SlowStreamPhase.RssTrace trace(long phaseMs, long... kbEvery250ms) {
        List<long[]> samples = new ArrayList<>();
        for (int i = 0; i < kbEvery250ms.length; i++) {
            samples.add(new long[] {i * 250L, kbEvery250ms[i]});
        }
        return new SlowStreamPhase.RssTrace(phaseMs, samples);
    }

    @Test
    void quarterPointsAndMeansFollowTime() {
        // 4 s phase: samples at 0..4000 ms, one value per quarter
        SlowStreamPhase.RssTrace t = trace(4000, 100, 100, 100, 100, 200, 200, 200, 200, 300, 300, 300, 300,
                400, 400, 400, 400, 500);
        assertEquals(100, t.at(0.0));
        assertEquals(200, t.at(0.25));
        assertEquals(300, t.at(0.5));
        assertEquals(500, t.at(1.0));
        assertEquals(200, t.quarterMean(2));
        assertEquals(420, t.quarterMean(4)); // 400 x4 and the closing sample 500
        assertEquals(500, t.peak());
        assertFalse(t.flat());
    }

    @Test
    void flatWithinTenPercentOfTheSecondQuarter() {
        SlowStreamPhase.RssTrace grows = trace(2000, 50, 50, 100, 100, 105, 105, 109, 109, 109);
        assertTrue(grows.flat());
        SlowStreamPhase.RssTrace leaks = trace(2000, 50, 50, 100, 100, 105, 105, 112, 112, 112);
        assertFalse(leaks.flat());
        assertFalse(trace(2000).flat());
    }
}
