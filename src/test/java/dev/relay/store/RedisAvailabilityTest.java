package dev.relay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.testsupport.LogCapture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.VertxException;
import io.vertx.redis.client.impl.types.ErrorType;
import java.net.ConnectException;
import java.util.logging.Level;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** An outage is judged from the commands' outcomes and logged once when it begins and once when it ends. */
@Tag("fast")
class RedisAvailabilityTest {

    @Test
    void manyFailingRequestsAreOneOutageOneWarningAndOneRecovery() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RedisAvailability availability = new RedisAvailability(meters);
        try (LogCapture log = LogCapture.of(RedisAvailability.class, Level.INFO)) {
            availability.answered(1);
            for (long sent = 2; sent < 500; sent++) {
                availability.failed(sent, new ConnectException("Connection refused"));
            }
            assertFalse(availability.reachable());
            assertEquals(0, meters.get(RedisAvailability.REACHABLE).gauge().value());
            availability.answered(600);
            assertTrue(availability.reachable());
            assertEquals(1, meters.get(RedisAvailability.REACHABLE).gauge().value());
            assertEquals(1, meters.get(RedisAvailability.OUTAGES).counter().count());
            assertEquals(2, log.lines().size(), log.lines().toString());
            assertTrue(log.lines().get(0).startsWith("Redis is unreachable"), log.lines().get(0));
            assertTrue(log.lines().get(1).startsWith("Redis answers again"), log.lines().get(1));
        }
    }

    @Test
    void aCommandSentBeforeTheLastAnswerThatFailsLateStartsNoOutage() {
        RedisAvailability availability = new RedisAvailability();
        availability.answered(100);
        availability.failed(90, new VertxException("connection of the old server closed"));
        assertTrue(availability.reachable());
        availability.failed(110, new VertxException("closed"));
        assertFalse(availability.reachable());
        availability.answered(120);
        availability.failed(115, new VertxException("late failure of a command sent before the recovery"));
        assertTrue(availability.reachable());
    }

    @Test
    void theFirstCommandFailingIsAnOutage() {
        RedisAvailability availability = new RedisAvailability();
        availability.failed(Long.MIN_VALUE + 5, new ConnectException("Connection refused"));
        assertFalse(availability.reachable());
    }

    @Test
    void redisSayingNotNowCountsAsUnreachableAndOtherErrorRepliesAsAnswers() {
        assertTrue(RedisStore.unreachable(new ConnectException("Connection refused")));
        assertTrue(RedisStore.unreachable(ErrorType.create("CONNECTION_CLOSED")));
        assertTrue(RedisStore.unreachable(ErrorType.create("LOADING Redis is loading the dataset in memory")));
        assertTrue(RedisStore.unreachable(ErrorType.create("BUSY Redis is busy running a script")));
        assertFalse(RedisStore.unreachable(ErrorType.create("ERR value is not an integer or out of range")));
        assertFalse(RedisStore.unreachable(ErrorType.create("WRONGTYPE Operation against a key")));
        assertFalse(RedisStore.unreachable(ErrorType.create("NOSCRIPT No matching script")));
        // a pipeline reports one line per failed command, the "ERR " of a reply dropped
        assertTrue(RedisStore.unreachable(ErrorType.create("ERR [0] CONNECTION_CLOSED")));
        assertTrue(RedisStore.unreachable(ErrorType.create("ERR [0] io.netty.channel.unix.Errors$NativeIoException: "
                + "recvAddress(..) failed with error(-104): Connection reset by peer")));
        assertTrue(RedisStore.unreachable(ErrorType.create("ERR [3] WRONGTYPE Operation against a key" + "\n"
                + "ERR [4] LOADING Redis is loading the dataset in memory")));
        assertFalse(RedisStore.unreachable(ErrorType.create("ERR [2] WRONGTYPE Operation against a key")));
        assertFalse(RedisStore.unreachable(ErrorType.create("ERR [0] usage_batch: malformed batch")));
    }
}
