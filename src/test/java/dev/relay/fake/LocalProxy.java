package dev.relay.fake;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real proxy on loopback with username/password authentication, for tests of per-account proxies: SOCKS5
 * (RFC 1928 with RFC 1929 auth) or HTTP (absolute-form requests, {@code Proxy-Authorization: Basic}). Each client
 * connection is authenticated, connected to its target and then piped both ways byte for byte.
 */
public final class LocalProxy implements AutoCloseable {
    public enum Kind { SOCKS5, HTTP }

    private final Kind kind;
    private final String username;
    private final String password;
    private final ServerSocket server;
    private final AtomicInteger tunnels = new AtomicInteger();
    private final List<String> refusals = new CopyOnWriteArrayList<>();

    public LocalProxy(Kind kind, String username, String password) throws IOException {
        this.kind = kind;
        this.username = username;
        this.password = password;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "local-proxy-" + kind);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The account's {@code proxy} JSON pointing here. */
    public String accountProxyJson() {
        return "{\"type\":\"" + kind.name().toLowerCase() + "\",\"host\":\"127.0.0.1\",\"port\":" + server.getLocalPort()
                + ",\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
    }

    /** Connections authenticated and connected to their target. */
    public int tunnels() {
        return tunnels.get();
    }

    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread t = new Thread(() -> serve(client), "local-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            Socket target = kind == Kind.SOCKS5 ? socks(client) : http(client);
            if (target == null) {
                return;
            }
            tunnels.incrementAndGet();
            try (target) {
                Thread up = new Thread(() -> pipe(client, target), "local-proxy-up");
                up.setDaemon(true);
                up.start();
                pipe(target, client);
                up.join(5000);
            }
        } catch (IOException | InterruptedException e) {
            // a test proxy: the connection ends
        }
    }

    private Socket socks(Socket client) throws IOException {
        DataInputStream in = new DataInputStream(client.getInputStream());
        OutputStream out = client.getOutputStream();
        in.readUnsignedByte(); // version 5
        byte[] methods = in.readNBytes(in.readUnsignedByte());
        boolean offersPassword = false;
        for (byte m : methods) {
            offersPassword |= m == 2;
        }
        if (!offersPassword) {
            out.write(new byte[] {5, (byte) 0xff});
            refusals.add("no username/password method offered");
            return null;
        }
        out.write(new byte[] {5, 2});
        in.readUnsignedByte(); // auth version 1
        String user = new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.UTF_8);
        String pass = new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.UTF_8);
        if (!username.equals(user) || !password.equals(pass)) {
            out.write(new byte[] {1, 1});
            refusals.add("bad credentials " + user);
            return null;
        }
        out.write(new byte[] {1, 0});
        in.readUnsignedByte(); // version
        in.readUnsignedByte(); // command: connect
        in.readUnsignedByte(); // reserved
        int type = in.readUnsignedByte();
        String host = switch (type) {
            case 1 -> InetAddress.getByAddress(in.readNBytes(4)).getHostAddress();
            case 3 -> new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.US_ASCII);
            default -> InetAddress.getByAddress(in.readNBytes(16)).getHostAddress();
        };
        int port = in.readUnsignedShort();
        Socket target = new Socket(host, port);
        out.write(new byte[] {5, 0, 0, 1, 0, 0, 0, 0, 0, 0});
        return target;
    }

    /** The first request's head: its proxy credentials checked, its absolute target turned into a connection. */
    private Socket http(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String expected = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        StringBuilder forwarded = new StringBuilder();
        boolean authorized = false;
        String[] requestLine = lines[0].split(" ");
        java.net.URI uri = java.net.URI.create(requestLine[1]);
        forwarded.append(requestLine[0]).append(' ').append(uri.getRawPath())
                .append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()).append(' ').append(requestLine[2])
                .append("\r\n");
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].regionMatches(true, 0, "proxy-authorization:", 0, 20)) {
                authorized = lines[i].substring(20).strip().equals(expected);
            } else {
                forwarded.append(lines[i]).append("\r\n");
            }
        }
        if (!authorized) {
            client.getOutputStream().write("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            refusals.add("no or bad Proxy-Authorization");
            return null;
        }
        Socket target = new Socket(uri.getHost(), uri.getPort());
        target.getOutputStream().write(forwarded.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        return target;
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // one side closed
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
