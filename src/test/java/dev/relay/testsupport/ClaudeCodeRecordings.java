package dev.relay.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The requests real Claude Code builds and the Agent SDK sent, recorded byte for byte under
 * {@code src/test/resources/claude-code/} (see the README there).
 */
public final class ClaudeCodeRecordings {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FOLDER = "claude-code";
    private static final Set<String> NOT_REPLAYED = Set.of("host", "connection", "content-length", "accept-encoding",
            "x-api-key");

    private ClaudeCodeRecordings() {
    }

    /**
     * One recorded request.
     *
     * @param name folder and file stem, e.g. {@code 2.1.332/print-1-messages}
     * @param path as the client sent it to its base URL, with the query string
     * @param headers name and value, in received order
     * @param body the body bytes as received (UTF-8 JSON)
     */
    public record Recording(String name, String client, String method, String path, List<String[]> headers,
            String body) {
        public String header(String header) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(header)).map(h -> h[1]).findFirst()
                    .orElse(null);
        }

        /**
         * The headers to send it again with: all as recorded, except the recorded key, those the JDK client sets
         * itself (host, connection, content-length) and accept-encoding, so answers stay readable.
         */
        public List<String[]> replayHeaders() {
            return headers.stream().filter(h -> !NOT_REPLAYED.contains(h[0].toLowerCase(Locale.ROOT))).toList();
        }

        /** {@link #replayHeaders()} with {@code apiKey} as the key. */
        public List<String[]> replayHeaders(String apiKey) {
            List<String[]> replay = new ArrayList<>(replayHeaders());
            replay.add(new String[] {"x-api-key", apiKey});
            return replay;
        }

        public boolean countTokens() {
            return path.startsWith("/v1/messages/count_tokens");
        }

        /** The folder: a Claude Code version or {@code agent-sdk-<version>}. */
        public String version() {
            return name.substring(0, name.indexOf('/'));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Every recording, in folder and file order. */
    public static List<Recording> all() {
        Path root = root();
        try (Stream<Path> files = Files.walk(root)) {
            List<Recording> all = new ArrayList<>();
            for (Path envelope : files.filter(p -> p.toString().endsWith(".json") && !p.toString().endsWith(".body.json"))
                    .sorted().toList()) {
                all.add(read(root, envelope));
            }
            if (all.isEmpty()) {
                throw new IllegalStateException("no recordings under " + root);
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Only the {@code /v1/messages} requests (the ones client validation looks at). */
    public static List<Recording> messages() {
        return all().stream().filter(r -> !r.countTokens()).toList();
    }

    public static Recording named(String name) {
        return all().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no recording " + name));
    }

    private static Recording read(Path root, Path envelope) throws IOException {
        JsonNode head = JSON.readTree(envelope.toFile());
        String stem = envelope.getFileName().toString().replaceFirst("\\.json$", "");
        String body = Files.readString(envelope.resolveSibling(stem + ".body.json"), StandardCharsets.UTF_8);
        List<String[]> headers = new ArrayList<>();
        for (JsonNode pair : head.path("headers")) {
            headers.add(new String[] {pair.get(0).asText(), pair.get(1).asText()});
        }
        String name = root.relativize(envelope.getParent()).toString() + "/" + stem;
        return new Recording(name, head.path("client").asText(), head.path("method").asText(),
                head.path("path").asText(), List.copyOf(headers), body);
    }

    private static Path root() {
        URL url = ClaudeCodeRecordings.class.getClassLoader().getResource(FOLDER);
        if (url == null || !"file".equals(url.getProtocol())) {
            return Path.of("src", "test", "resources", FOLDER);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
