package dev.relay.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fixture 11's exchanges (legacy 1.1.251 through a Claude OAuth account): what the client sent, and what the
 * upstream received, headers in order and the body as the bytes {@code JSON.stringify} made.
 */
final class OAuthFixture {
    static final Path DIR = Path.of("..", "shared", "legacy", "fixtures", "11-oauth-claude");
    static final String ACCOUNT = "29ed57d9-d16a-400d-965c-9840cac8d5e4";
    static final String ACCESS_TOKEN = "sk-ant-oat01-fixture-access-0001";
    static final String REFRESH_TOKEN = "sk-ant-ort01-fixture-refresh-0001";
    static final ObjectMapper JSON = new ObjectMapper();
    /** http.json indexes: 1 Claude Code non-stream, 2 stream, 3 plain client, 4 the refresh. */
    static final int CLAUDE_CODE = 1;
    static final int STREAM = 2;
    static final int PLAIN_CLIENT = 3;
    static final int REFRESH = 4;

    private final JsonNode exchanges;

    OAuthFixture() {
        try {
            exchanges = JSON.readTree(DIR.resolve("http.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode exchange(int index) {
        return exchanges.get(index);
    }

    /** The client's body bytes (compact JSON in the fixture's key order). */
    String clientBody(int index) {
        return compact(exchange(index).get("request").get("body"));
    }

    /** The upstream's request of the exchange whose path is {@code path} (e.g. the messages call). */
    JsonNode upstream(int index, String path) {
        for (JsonNode u : exchange(index).get("upstream")) {
            if (u.get("path").asText().equals(path)) {
                return u;
            }
        }
        throw new IllegalArgumentException("no upstream call to " + path + " in exchange " + index);
    }

    static List<Map.Entry<String, String>> headers(JsonNode headerPairs) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (JsonNode pair : headerPairs) {
            out.add(Map.entry(pair.get(0).asText(), pair.get(1).asText()));
        }
        return out;
    }

    static String compact(JsonNode body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends exchange {@code index}'s client request byte for byte through the gateway: the fixture's headers in
     * order, with the seeded key, the gateway's host, the body's length, and {@code Connection: close}.
     */
    RawHttp.Answer send(URL gateway, int index, String apiKey) throws IOException {
        JsonNode request = exchange(index).get("request");
        byte[] body = clientBody(index).getBytes(StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, String> h : headers(request.get("headers"))) {
            String name = h.getKey();
            String value = switch (name.toLowerCase()) {
                case "host" -> gateway.getHost() + ":" + gateway.getPort();
                case "x-api-key" -> apiKey;
                case "content-length" -> String.valueOf(body.length);
                default -> h.getValue();
            };
            lines.add(name + ": " + value);
        }
        lines.add("Connection: close");
        try (RawHttp http = new RawHttp(gateway)) {
            http.head("POST " + request.get("path").asText() + " HTTP/1.1", lines.toArray(String[]::new));
            http.out().write(body);
            http.out().flush();
            return http.read();
        }
    }
}
