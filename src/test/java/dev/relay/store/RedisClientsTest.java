package dev.relay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.relay.testsupport.TestRedis;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisClientsTest {

    @Test
    void replyParserDropsWhatItHasReadAtEveryChunk() throws Exception {
        RedisClients.options("redis://127.0.0.1:1", 1); // loads the class, as every client of ours does first
        Class<?> parserBuffer = Class.forName("io.vertx.redis.client.impl.ReadableBuffer");
        Field watermark = parserBuffer.getDeclaredField("MARK_WATERMARK");
        watermark.setAccessible(true);
        assertEquals(0, watermark.getInt(null));
    }

    @Test
    void largePipelinesOfMixedRepliesParseAcrossManyChunks() {
        try (TestRedis redis = new TestRedis()) {
            redis.flush();
            List<Request> batch = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) {
                batch.add(Request.cmd(Command.HSET).arg("h:" + (i % 7)).arg("f" + i).arg("v".repeat(i % 300)));
                batch.add(Request.cmd(Command.HINCRBY).arg("c").arg("n").arg(1));
                batch.add(Request.cmd(Command.HGET).arg("h:" + (i % 7)).arg("f" + i));
            }
            List<Response> replies = TestRedis.await(redis.store.batch(batch));
            assertEquals(batch.size(), replies.size());
            for (int i = 0; i < 3_000; i++) {
                assertEquals(i + 1, replies.get(3 * i + 1).toLong());
                assertEquals("v".repeat(i % 300), replies.get(3 * i + 2).toString());
            }
        }
    }
}
