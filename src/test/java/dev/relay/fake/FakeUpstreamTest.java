package dev.relay.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transport of the fake upstream with a wire format that is not SSE: binary frames with a 4-byte length prefix,
 * as AWS event streams have. Whatever the provider, the fake sends the frames in order, cuts where the wire says a
 * cut looks like, answers unknown paths in the wire's error format and stops writing for a reader that stops reading.
 */
class FakeUpstreamTest {
    private static final String PATH = "/frames";
    private FakeUpstream fake;

    @BeforeEach
    void start() {
        fake = new FakeUpstream(new LengthPrefixedWire());
        fake.start();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void framesOfAnotherWireFormatArriveInOrderWithItsContentType() throws Exception {
        fake.nextReplies(Reply.ok().chunks(3).text("abc"));

        HttpExchange answer = exchange(PATH, "{}");

        assertTrue(answer.head().startsWith("HTTP/1.1 200"), answer.head());
        assertTrue(answer.head().contains("content-type: application/x-length-prefixed"), answer.head());
        assertTrue(answer.head().contains("x-wire-request: 1"), "the wire's own header: " + answer.head());
        assertEquals(List.of("abc #0", "abc #1", "abc #2"), frames(answer.body()).complete());
        assertEquals(3, fake.eventsWritten());
        assertEquals(PATH, fake.lastRequest().path());
    }

    @Test
    void anInStreamErrorIsTheWiresErrorFrameAndEndsTheStream() throws Exception {
        fake.nextReplies(Reply.ok().chunks(5).text("t").streamError(2, "throttled", "slow down"));

        HttpExchange answer = exchange(PATH, "{}");

        assertEquals(List.of("t #0", "t #1", "error throttled: slow down"), frames(answer.body()).complete());
        assertTrue(answer.ended(), "a normal end after the error frame");
    }

    @Test
    void aCutSendsTheWiresPartialFrameThenDropsTheConnection() throws Exception {
        fake.nextReplies(Reply.ok().chunks(5).text("cut").cutAfter(2));

        HttpExchange answer = exchange(PATH, "{}");

        Frames frames = frames(answer.body());
        assertEquals(List.of("cut #0", "cut #1"), frames.complete());
        assertEquals(3, frames.leftover(), "the wire's cut tail: a frame's length prefix without its frame");
        assertFalse(answer.ended(), "no terminating chunk");
    }

    @Test
    void aPathTheWireDoesNotServeIsAnsweredInTheWiresErrorFormat() throws Exception {
        HttpExchange answer = exchange("/elsewhere", "{}");

        assertTrue(answer.head().startsWith("HTTP/1.1 404"), answer.head());
        assertEquals("error 404: Not found: /elsewhere", new String(answer.body(), StandardCharsets.UTF_8));
    }

    @Test
    void aReaderThatStopsReadingHoldsTheWriterBackUntilItReadsAgain() throws Exception {
        int count = 5_000;
        fake.nextReplies(Reply.ok().chunks(count).text("y".repeat(4 * 1024))); // 20 MB: more than the buffers hold
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(64 * 1024);
            socket.connect(new InetSocketAddress("127.0.0.1", fake.port()));
            socket.setSoTimeout(30_000);
            send(socket, PATH, "{}");

            waitFor(() -> fake.streamsHeldBack() == 1, "the writer stops for the reader");
            long written = fake.eventsWritten();
            assertTrue(written < count / 2, written + " of " + count + " frames queued for a reader that reads nothing");

            HttpExchange answer = HttpExchange.read(socket.getInputStream());
            assertEquals(count, frames(answer.body()).complete().size());
            assertTrue(answer.ended());
        }
        waitFor(() -> fake.inFlight() == 0, "the response ended");
        assertEquals(0, fake.streamsHeldBack());
        assertEquals(count, fake.eventsWritten());
    }

    /**
     * A provider with binary frames: each frame is its payload's length (4 bytes, big-endian), then the payload;
     * errors before the stream are plain text. A cut mid-stream leaves 3 bytes of a length prefix behind.
     */
    private static final class LengthPrefixedWire implements WireFormat {
        @Override
        public boolean serves(String path) {
            return path.equals(PATH);
        }

        @Override
        public EncodedReply encode(Reply reply) {
            Buffer error = reply.streamErrorAfter() < 0 ? null
                    : frame("error " + reply.streamErrorType() + ": " + reply.streamErrorMessage());
            return new EncodedReply() {
                @Override
                public Reply reply() {
                    return reply;
                }

                @Override
                public WireAnswer answer(WireRequest request, MultiMap headers) {
                    headers.add("x-wire-request", String.valueOf(request.sequence()));
                    if (!reply.success()) {
                        return new WireAnswer.Whole("text/plain",
                                Buffer.buffer("error " + reply.status() + ": " + reply.errorMessage()));
                    }
                    return new WireAnswer.Frames("application/x-length-prefixed", reply.chunks(),
                            i -> frame(reply.text() + " #" + i), error, Buffer.buffer(new byte[] {0, 0, 0}));
                }
            };
        }

        private static Buffer frame(String payload) {
            byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
            return Buffer.buffer(4 + bytes.length).appendInt(bytes.length).appendBytes(bytes);
        }
    }

    private record Frames(List<String> complete, int leftover) {
    }

    private static Frames frames(byte[] body) {
        ByteBuffer in = ByteBuffer.wrap(body);
        List<String> complete = new ArrayList<>();
        while (in.remaining() >= 4) {
            int length = in.getInt(in.position());
            if (in.remaining() < 4 + length) {
                break;
            }
            in.getInt();
            byte[] payload = new byte[length];
            in.get(payload);
            complete.add(new String(payload, StandardCharsets.UTF_8));
        }
        return new Frames(complete, in.remaining());
    }

    /**
     * A response read off a socket up to the server's close: the head, the de-chunked body, and whether the
     * terminating chunk came.
     */
    private record HttpExchange(String head, byte[] body, boolean ended) {
        static HttpExchange read(InputStream in) throws IOException {
            byte[] all = in.readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int headEnd = text.indexOf("\r\n\r\n");
            String head = text.substring(0, headEnd);
            int at = headEnd + 4;
            if (!head.contains("transfer-encoding: chunked")) {
                return new HttpExchange(head, java.util.Arrays.copyOfRange(all, at, all.length), true);
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                int lineEnd = text.indexOf("\r\n", at);
                if (lineEnd < 0) {
                    return new HttpExchange(head, body.toByteArray(), false);
                }
                int size = Integer.parseInt(text.substring(at, lineEnd), 16);
                if (size == 0) {
                    return new HttpExchange(head, body.toByteArray(), true);
                }
                int start = lineEnd + 2;
                int end = Math.min(all.length, start + size);
                body.write(all, start, end - start);
                if (end < start + size) {
                    return new HttpExchange(head, body.toByteArray(), false);
                }
                at = end + 2;
            }
        }
    }

    /** Sends one request that asks the fake to close the connection after its answer, and reads that answer. */
    private HttpExchange exchange(String path, String body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", fake.port())) {
            socket.setSoTimeout(10_000);
            send(socket, path, body);
            return HttpExchange.read(socket.getInputStream());
        }
    }

    private static void send(Socket socket, String path, String body) throws IOException {
        String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: "
                + body.length() + "\r\n\r\n";
        socket.getOutputStream().write((head + body).getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within 10 s: " + what);
            }
            Thread.sleep(5);
        }
    }
}
