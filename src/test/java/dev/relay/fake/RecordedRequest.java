package dev.relay.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * One request as the fake upstream received it.
 *
 * @param uri path with query string, e.g. {@code /v1/messages?beta=true}
 * @param headers every header in received order, names as sent
 */
public record RecordedRequest(String method, String uri, List<Map.Entry<String, String>> headers, String body) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public String path() {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    /** First value of the header, name compared case-insensitively; null when absent. */
    public String header(String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    public List<String> headerNames() {
        return headers.stream().map(Map.Entry::getKey).toList();
    }

    public JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException("request body is not JSON: " + body, e);
        }
    }
}
