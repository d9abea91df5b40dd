package dev.relay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.testsupport.GatewayClient.Answer;
import dev.relay.testsupport.LegacyFixtures;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

/**
 * Compares relay's answer with the one the legacy gave in a capture ({@code http*.json}): status, JSON body (the
 * {@code timestamp} of the moment aside) and every header, value for value, names compared case-insensitively.
 * Not compared, because relay sends none of them on any answer: the connection headers ({@code Date},
 * {@code Connection}, {@code Keep-Alive}), Express' automatic {@code ETag}, the {@code Vary: Accept-Encoding} of its
 * compression middleware (relay does not compress) and the {@code Content-Length: 0} of a 204 (Vert.x never sends a
 * length with a 204, as RFC 9110 §8.6 asks). The {@code X-Request-ID} must be there, in the legacy's form.
 */
final class LegacyAnswer {
    static final Pattern ISO = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
    private static final Pattern REQUEST_ID = Pattern.compile("[0-9a-z]{1,13}");
    private static final Set<String> NOT_COMPARED = Set.of("date", "connection", "keep-alive", "etag");

    private LegacyAnswer() {
    }

    /** The exchange labelled {@code label} in {@code file} of {@code folder}. */
    static JsonNode exchange(String folder, String file, String label) {
        return StreamSupport.stream(LegacyFixtures.load(folder, file).spliterator(), false)
                .filter(e -> label.equals(e.path("label").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no exchange " + label + " in " + folder + "/" + file));
    }

    static void assertSame(JsonNode exchange, Answer answer) {
        JsonNode recorded = exchange.path("response");
        String label = exchange.path("label").asText();
        assertEquals(recorded.path("status").asInt(), answer.status(), label + ": " + answer.body());
        assertEquals(comparableHeaders(recorded.path("headers"), recorded.path("status").asInt()),
                comparableHeaders(answer.headers()), label);
        JsonNode body = recorded.path("body");
        if (body.isTextual()) {
            assertEquals(body.asText(), answer.body(), label);
            return;
        }
        JsonNode actual = answer.json();
        if (body.has("timestamp")) {
            assertTrue(ISO.matcher(actual.path("timestamp").asText()).matches(), label + ": " + answer.body());
            ((ObjectNode) actual).put("timestamp", body.path("timestamp").asText());
        }
        assertEquals(body, actual, label);
        assertEquals(body.toString(), actual.toString(), label + ": field order");
    }

    private static Map<String, String> comparableHeaders(JsonNode recorded, int status) {
        Map<String, String> headers = new TreeMap<>();
        for (JsonNode h : recorded) {
            String name = h.get(0).asText().toLowerCase(Locale.ROOT);
            String value = h.get(1).asText();
            if (status == 204 && name.equals("content-length")) {
                continue;
            }
            put(headers, name, value);
        }
        return headers;
    }

    private static Map<String, String> comparableHeaders(Map<String, java.util.List<String>> received) {
        Map<String, String> headers = new TreeMap<>();
        received.forEach((name, values) -> values.forEach(v -> put(headers, name.toLowerCase(Locale.ROOT), v)));
        return headers;
    }

    private static void put(Map<String, String> headers, String name, String value) {
        if (NOT_COMPARED.contains(name) || (name.equals("vary") && value.equals("Accept-Encoding"))) {
            return;
        }
        if (name.equals("x-request-id")) {
            assertTrue(REQUEST_ID.matcher(value).matches(), "X-Request-ID " + value);
            value = "<id>";
        }
        assertTrue(headers.putIfAbsent(name, value) == null, "header " + name + " sent twice");
    }
}
