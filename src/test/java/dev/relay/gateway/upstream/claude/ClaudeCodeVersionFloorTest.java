package dev.relay.gateway.upstream.claude;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** OAuth calls never claim a Claude Code older than the floor or the newest one seen; raised claims are counted. */
@Tag("fast")
class ClaudeCodeVersionFloorTest {
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    double raised() {
        return meters.counter(ClaudeCodeVersionFloor.METRIC).count();
    }

    @Test
    void anOlderClaudeCodeIsRaisedToTheFloorAndCounted() {
        ClaudeCodeVersionFloor floor = new ClaudeCodeVersionFloor("2.1.251", meters);
        assertEquals("claude-cli/2.1.251 (external, cli)", floor.apply("claude-cli/1.0.110 (external, cli)"));
        assertEquals(1, raised());
        assertEquals("claude-cli/2.1.330 (external, sdk-cli)", floor.apply("claude-cli/2.1.330 (external, sdk-cli)"));
        assertEquals(1, raised());
    }

    @Test
    void theNewestClaudeCodeSeenRaisesTheFloor() {
        ClaudeCodeVersionFloor floor = new ClaudeCodeVersionFloor("2.1.251", meters);
        floor.apply("claude-cli/2.1.330 (external, cli)");
        assertEquals("claude-cli/2.1.330 (external, cli)", floor.apply("claude-cli/2.1.300 (external, cli)"));
        assertEquals("2.1.330", floor.current());
    }

    @Test
    void otherClientsAndTheOffSettingPassUnchanged() {
        assertEquals("python-httpx/0.27.0", new ClaudeCodeVersionFloor("2.1.251", meters).apply("python-httpx/0.27.0"));
        assertEquals("claude-cli/1.0.110 (external, cli)",
                new ClaudeCodeVersionFloor("off", meters).apply("claude-cli/1.0.110 (external, cli)"));
        assertEquals(0, raised());
    }

    @Test
    void versionsCompareNumerically() {
        assertEquals(1, Integer.signum(ClaudeCodeVersionFloor.compare("2.1.10", "2.1.9")));
        assertEquals(0, ClaudeCodeVersionFloor.compare("2.1", "2.1.0"));
    }
}
