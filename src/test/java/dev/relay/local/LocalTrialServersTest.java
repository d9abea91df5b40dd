package dev.relay.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local trial's Redis runs where the gateway was told, keeps its data in the folder and stops with it. */
class LocalTrialServersTest {
    @TempDir
    Path data;

    @Test
    void theEmbeddedRedisAnswersUntilTheGatewayStops() throws IOException {
        LocalTrialServers servers = new LocalTrialServers();
        int port = servers.startRedis(data.resolve("redis"));

        assertEquals("+PONG", ping(port));
        assertEquals(true, Files.isDirectory(data.resolve("redis")));
        servers.onStop(null);
        assertThrows(ConnectException.class, () -> ping(port));
    }

    private static String ping(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }
}
