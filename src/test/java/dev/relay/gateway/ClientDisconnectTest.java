package dev.relay.gateway;

import static dev.relay.gateway.RelayFlow.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.fake.GatedSocksProxy;
import dev.relay.fake.Reply;
import dev.relay.testsupport.RelayTestResource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that closes its connection is ordinary: the gateway resets the upstream call, counts the departure in
 * {@code relay_client_disconnects_total{phase}} and logs nothing at WARN or above, neither from relay's own classes
 * nor from Vert.x (an unhandled reset of the upstream request is logged by Vert.x as {@code ERROR Stream reset: 0}).
 */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class ClientDisconnectTest extends RelayTestBase {
    static final int CLIENTS = 20;

    @Inject
    MeterRegistry meters;

    /** Logs the upstream request's end at debug: how the test knows the gateway is done with it. */
    static final String UPSTREAM_LOG = "dev.relay.gateway.UpstreamHttp";
    /** Where Vert.x logs a reset request that has no exception handler. */
    static final String VERTX_REQUEST_LOG = "io.vertx.core.http.impl.HttpClientRequestImpl";

    final List<LogRecord> loud = new CopyOnWriteArrayList<>();
    final List<LogRecord> quiet = new CopyOnWriteArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            (record.getLevel().intValue() >= Level.WARNING.intValue() ? loud : quiet).add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    Level upstreamLevel;

    @BeforeEach
    void captureLogs() {
        Logger.getLogger("").addHandler(capture);
        upstreamLevel = Logger.getLogger(UPSTREAM_LOG).getLevel();
        Logger.getLogger(UPSTREAM_LOG).setLevel(Level.FINE);
    }

    @AfterEach
    void releaseLogs() {
        Logger.getLogger("").removeHandler(capture);
        Logger.getLogger(UPSTREAM_LOG).setLevel(upstreamLevel);
    }

    double disconnects(String phase) {
        Counter counter = meters.find("relay_client_disconnects_total").tag("phase", phase).counter();
        return counter == null ? 0 : counter.count();
    }

    static Socket send(String rawKey, String body) throws Exception {
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /api/v1/messages HTTP/1.1\r\nHost: localhost\r\nx-api-key: " + rawKey
                + "\r\nContent-Type: application/json\r\nContent-Length: " + payload.length + "\r\n\r\n";
        Socket socket = new Socket("localhost", RestAssured.port);
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(payload);
        socket.getOutputStream().flush();
        return socket;
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            RelayFlow.sleep(10);
        }
    }

    String describe(List<LogRecord> records) {
        return records.stream().map(r -> r.getLevel() + " [" + r.getLoggerName() + "] " + r.getMessage()
                + (r.getThrown() == null ? "" : " / " + r.getThrown())).collect(Collectors.joining("\n"));
    }

    @Test
    void clientsLeavingMidStreamAreCountedAndNotLoggedAsProblems() throws Exception {
        var key = world.key(Map.of());
        world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();
        upstream.defaultReply(Reply.ok().chunks(200).eventDelayMs(50));
        double before = disconnects("streaming");
        try {
            for (int i = 0; i < CLIENTS; i++) {
                try (Socket socket = send(key.raw(), body(true, "leave " + i, null))) {
                    StreamTruncationTest.readUntil(socket.getInputStream(), "event: content_block_delta", 1);
                }
            }
            await(() -> disconnects("streaming") - before >= CLIENTS, "every departure counted");
            await(() -> upstream.inFlight() == 0, "every upstream call reset");
        } finally {
            upstream.defaultReply(Reply.ok());
        }

        assertEquals(CLIENTS, disconnects("streaming") - before, 0.0);
        assertTrue(loud.isEmpty(), "logged at WARN or above:\n" + describe(loud));
    }

    @Test
    void aClientLeavingWhileTheUpstreamConnectionIsBeingSetUpIsCountedAndNotLoggedAsAProblem() throws Exception {
        // the upstream connection completes only after the client left: the request is then reset before it was
        // sent, which Vert.x, without an exception handler on the request, logs as "ERROR Stream reset: 0"
        try (GatedSocksProxy proxy = new GatedSocksProxy()) {
            var key = world.key(Map.of("concurrencyLimit", "1"));
            world.consoleAccount(upstream.baseUrl(), 10, Map.of("proxy", proxy.accountProxyJson()));
            reloadAccounts();
            double before = disconnects("waiting");

            try (Socket client = send(key.raw(), body(false, "leave while connecting", null))) {
                assertTrue(proxy.awaitGreeting(5_000), "the gateway is connecting to the upstream");
            }
            // within the proxy handshake's 10 s timeout: the connection must still come up after the client left
            await(() -> redis.call("ZCARD", "concurrency:" + key.id()).toLong() == 0, "the key's slot released");
            proxy.open();
            await(() -> Stream.concat(quiet.stream(), loud.stream()).anyMatch(
                    r -> r.getLoggerName().equals(UPSTREAM_LOG) || r.getLoggerName().equals(VERTX_REQUEST_LOG)),
                    "the gateway dropped the upstream request");

            assertTrue(loud.isEmpty(), "logged at WARN or above:\n" + describe(loud));
            assertEquals(1, disconnects("waiting") - before, 0.0);
            assertEquals(0, upstream.requests().size());
        }
    }
}
