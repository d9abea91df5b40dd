package dev.relay.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sends requests to the gateway under test, including exact replays of the requests a legacy capture recorded
 * ({@code http.json}: headers in order, body, path with query), with the API key swapped for one seeded in the test.
 */
public final class GatewayClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Headers java.net.http sets itself, and the recorded key (replaced per test). */
    private static final Set<String> NOT_REPLAYED = Set.of("host", "content-length", "connection", "accept-encoding",
            "x-api-key");

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** @param base the gateway's root URL, e.g. {@code http://localhost:41234/} */
    public GatewayClient(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** One answer of the gateway. */
    public record Answer(int status, Map<String, List<String>> headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("answer is not JSON (" + status + "): " + body, e);
            }
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }
    }

    /**
     * Replays the recorded request of {@code exchange} (an element of http.json). {@code apiKey} replaces the
     * recorded {@code x-api-key}; {@link #AS_RECORDED} keeps it (or its absence).
     */
    public Answer replay(JsonNode exchange, String apiKey) {
        JsonNode request = exchange.path("request");
        List<String[]> headers = new ArrayList<>();
        String recordedKey = null;
        for (JsonNode h : request.path("headers")) {
            String name = h.get(0).asText();
            if (name.equalsIgnoreCase("x-api-key")) {
                recordedKey = h.get(1).asText();
            }
            if (!NOT_REPLAYED.contains(name.toLowerCase())) {
                headers.add(new String[] {name, h.get(1).asText()});
            }
        }
        String key = AS_RECORDED.equals(apiKey) ? recordedKey : apiKey;
        if (key != null) {
            headers.add(new String[] {"x-api-key", key});
        }
        JsonNode body = request.path("body");
        String text = body.isMissingNode() || body.isNull() ? null : body.toString();
        return send(request.path("method").asText(), request.path("path").asText(), headers, text);
    }

    public static final String AS_RECORDED = "\u0000as-recorded";

    /** A JSON POST with Claude Code's headers (as in the capture) and this key. */
    public Answer postJson(String path, String apiKey, String body) {
        List<String[]> headers = new ArrayList<>();
        headers.add(new String[] {"Content-Type", "application/json"});
        headers.add(new String[] {"User-Agent", "claude-cli/1.0.110 (external, cli)"});
        headers.add(new String[] {"anthropic-version", "2023-06-01"});
        if (apiKey != null) {
            headers.add(new String[] {"x-api-key", apiKey});
        }
        return send("POST", path, headers, body);
    }

    public Answer send(String method, String path, List<String[]> headers, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        for (String[] h : headers) {
            builder.header(h[0], h[1]);
        }
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
