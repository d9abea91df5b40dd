package dev.relay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.fake.FakeAnthropic;
import dev.relay.fake.Reply;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ProxyType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UpstreamHttpTest {

    @Test
    void readsTheAccountProxy() {
        var socks = UpstreamHttp.proxy("{\"type\":\"socks5\",\"host\":\"127.0.0.1\",\"port\":1080,\"username\":\"u\",\"password\":\"p\"}");
        assertEquals(ProxyType.SOCKS5, socks.getType());
        assertEquals(1080, socks.getPort());
        assertEquals("u", socks.getUsername());
        assertEquals(ProxyType.HTTP, UpstreamHttp.proxy("{\"type\":\"http\",\"host\":\"p\",\"port\":\"8080\"}").getType());
        assertNull(UpstreamHttp.proxy("not json"));
        assertNull(UpstreamHttp.proxy(""));
    }

    @Test
    void sixHundredSlowStreamsReachTheUpstreamAtOnce() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (FakeAnthropic fake = new FakeAnthropic()) {
            // each stream stays open ~6 s at the upstream: with a smaller pool the rest would wait for a connection
            fake.recordRequests(false).defaultReply(Reply.ok().chunks(20).eventDelayMs(250));
            String url = fake.start();
            UpstreamHttp upstream = new UpstreamHttp(vertx, 30_000);
            Buffer body = Buffer.buffer("{\"model\":\"m\",\"stream\":true,\"messages\":[]}");
            List<Future<UpstreamCall>> calls = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                calls.add(upstream.post(new OutboundRequest(url + "/v1/messages", MultiMap.caseInsensitiveMultiMap()
                        .add("content-type", "application/json"), body, ""),
                        new StaticKey("x-api-key", "", "sk-ant-api03-x"), request -> { }));
            }
            Future.all(calls).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertTrue(fake.maxInFlight() >= 600, "upstream saw at most " + fake.maxInFlight() + " at once");
            for (Future<UpstreamCall> c : calls) {
                c.result().response().exceptionHandler(e -> { });
                c.result().request().connection().close();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
