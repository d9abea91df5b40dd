package dev.relay.fake;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A SOCKS5 proxy that takes one connection and holds its handshake until {@link #open()}: the gateway's upstream
 * connection is then still being set up, for as long as a test needs. After the handshake nothing is forwarded;
 * the tunnel is read until it is closed.
 */
public final class GatedSocksProxy implements AutoCloseable {
    private final ServerSocket server;
    private final CountDownLatch gate = new CountDownLatch(1);
    private final CountDownLatch greeted = new CountDownLatch(1);
    private final Thread worker;

    public GatedSocksProxy() throws IOException {
        server = new ServerSocket(0);
        worker = new Thread(this::serveOne, "gated-socks-proxy");
        worker.setDaemon(true);
        worker.start();
    }

    /** The account's {@code proxy} field pointing here. */
    public String accountProxyJson() {
        return "{\"type\":\"socks5\",\"host\":\"127.0.0.1\",\"port\":" + server.getLocalPort() + "}";
    }

    /** Whether a client connected and sent its SOCKS greeting within the timeout. */
    public boolean awaitGreeting(long timeoutMs) throws InterruptedException {
        return greeted.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Lets the held handshake complete. */
    public void open() {
        gate.countDown();
    }

    private void serveOne() {
        try (Socket socket = server.accept()) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            in.readFully(new byte[in.readUnsignedByte() == 5 ? in.readUnsignedByte() : 0]); // methods offered
            greeted.countDown();
            gate.await();
            out.write(new byte[] {5, 0}); // no authentication
            out.flush();
            byte[] head = new byte[4]; // version, CONNECT, reserved, address type
            in.readFully(head);
            int addressLength = switch (head[3]) {
                case 1 -> 4;
                case 4 -> 16;
                default -> in.readUnsignedByte();
            };
            in.readFully(new byte[addressLength + 2]);
            out.write(new byte[] {5, 0, 0, 1, 0, 0, 0, 0, 0, 0}); // succeeded, bound to 0.0.0.0:0
            out.flush();
            byte[] sink = new byte[8192];
            while (in.read(sink) >= 0) {
                // nothing is forwarded: the tunnel is drained until it is closed
            }
        } catch (IOException | InterruptedException e) {
            // the gateway reset the tunnel, or the test ended: either way the tunnel is closed
        }
    }

    @Override
    public void close() throws IOException {
        gate.countDown();
        server.close();
    }
}
