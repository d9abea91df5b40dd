package dev.relay.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeAnthropicTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FIXTURES = Path.of("..", "shared", "legacy", "fixtures");
    private static FakeAnthropic fake;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        fake = new FakeAnthropic();
        fake.start();
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    @BeforeEach
    void clean() {
        fake.reset();
    }

    @Test
    void nonStreamBodyIsFixture04sMessageAndTheRequestIsRecordedInOrder() throws Exception {
        JsonNode exchange = fixture("04-relay-nonstream").get(0);
        JsonNode upstream = exchange.get("upstream").get(0);
        String requestBody = JSON.writeValueAsString(upstream.get("body"));

        HttpResponse<String> response = post("/v1/messages?beta=true", requestBody,
                "x-api-key", "sk-ant-api03-test", "anthropic-version", "2023-06-01");

        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
        assertEquals("allowed", response.headers().firstValue("anthropic-ratelimit-unified-status").orElseThrow());
        assertEquals("allowed", response.headers().firstValue("anthropic-ratelimit-unified-5h-status").orElseThrow());
        assertTrue(response.headers().firstValue("request-id").orElseThrow().startsWith("req_fake_"));
        ObjectNode body = (ObjectNode) JSON.readTree(response.body());
        assertTrue(body.get("id").asText().startsWith("msg_fake_"));
        ObjectNode expected = ((ObjectNode) upstream.get("response").get("body")).deepCopy();
        body.remove("id");
        expected.remove("id");
        assertEquals(expected, body, "same message, same usage as the capture's upstream");
        // compact framing and the fixture's key order
        assertEquals(JSON.writeValueAsString(expected), JSON.writeValueAsString(body));

        RecordedRequest recorded = fake.lastRequest();
        assertEquals("POST", recorded.method());
        assertEquals("/v1/messages?beta=true", recorded.uri());
        assertEquals("/v1/messages", recorded.path());
        assertEquals(requestBody, recorded.body());
        assertEquals("sk-ant-api03-test", recorded.header("X-API-KEY"));
        assertEquals("fixture 04 non-stream",
                recorded.json().get("messages").get(0).get("content").get(0).get("text").asText());
    }

    @Test
    void headersAreRecordedInReceivedOrderWithTheirSpelling() throws Exception {
        String body = "{\"model\":\"m\"}";
        String head = "POST /v1/messages?beta=true HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: k1\r\n"
                + "Anthropic-Version: 2023-06-01\r\nContent-Type: application/json\r\nx-app: cli\r\n"
                + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", fake.port())) {
            socket.getOutputStream().write((head + body).getBytes(StandardCharsets.UTF_8));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        }
        RecordedRequest recorded = fake.lastRequest();
        assertEquals(List.of("Host", "x-api-key", "Anthropic-Version", "Content-Type", "x-app", "Content-Length",
                "Connection"), recorded.headerNames());
        assertEquals(body, recorded.body());
    }

    @Test
    void streamIsByteForByteFixture05ApartFromTheMessageId() throws Exception {
        JsonNode exchange = fixture("05-relay-stream").get(0);
        String requestBody = JSON.writeValueAsString(exchange.get("upstream").get(0).get("body"));
        String expectedRaw = exchange.get("response").get("body").get("raw").asText();

        HttpResponse<String> response = post("/v1/messages?beta=true", requestBody);

        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        String raw = response.body();
        String id = JSON.readTree(sse(raw).get(0).data).get("message").get("id").asText();
        assertTrue(id.startsWith("msg_fake_"));
        assertEquals(expectedRaw, raw.replace(id, "msg_fixture_000094"));
    }

    @Test
    void streamUsageParsesBackAndChunksFollowTheHeader() throws Exception {
        HttpResponse<String> response = post("/v1/messages", "{\"model\":\"m\", \"stream\" : true}",
                FakeAnthropic.CHUNKS_HEADER, "3");

        List<Event> events = sse(response.body());
        List<String> names = events.stream().map(e -> e.name).toList();
        assertEquals(List.of("message_start", "content_block_start", "ping", "content_block_delta",
                "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"),
                names);
        JsonNode usage = JSON.readTree(events.get(0).data).get("message").get("usage");
        assertEquals(1200, usage.get("input_tokens").asLong());
        assertEquals(200, usage.get("cache_creation_input_tokens").asLong());
        assertEquals(150, usage.get("cache_creation").get("ephemeral_5m_input_tokens").asLong());
        assertEquals(50, usage.get("cache_creation").get("ephemeral_1h_input_tokens").asLong());
        assertEquals(3000, usage.get("cache_read_input_tokens").asLong());
        assertEquals(345, JSON.readTree(events.get(7).data).get("usage").get("output_tokens").asLong());
    }

    @Test
    void streamErrorEndsTheStreamWithAnthropicsErrorEvent() throws Exception {
        fake.nextReplies(Reply.ok().streamError(4, "overloaded_error", "Overloaded"));

        HttpResponse<String> response = post("/v1/messages", "{\"stream\":true}");

        assertEquals(200, response.statusCode());
        List<Event> events = sse(response.body());
        assertEquals(List.of("message_start", "content_block_start", "ping", "content_block_delta", "error"),
                events.stream().map(e -> e.name).toList());
        assertEquals("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}",
                events.get(4).data);
    }

    @Test
    void configuredUsageAndStreamFalseGiveJson() throws Exception {
        fake.defaultReply(Reply.ok().usage(FakeUsage.of(7, 9)).model("claude-opus-4-1-20250805"));

        JsonNode body = JSON.readTree(post("/v1/messages", "{\"stream\":false,\"x\":\"\\\"stream\\\":true\"}").body());

        assertEquals("message", body.get("type").asText());
        assertEquals("claude-opus-4-1-20250805", body.get("model").asText());
        assertEquals(7, body.get("usage").get("input_tokens").asLong());
        assertEquals(9, body.get("usage").get("output_tokens").asLong());
        assertEquals(0, body.get("usage").get("cache_read_input_tokens").asLong());
        assertNull(body.get("usage").get("cache_creation"));
    }

    @Test
    void queuedRepliesComeFirstThenTheDefault() throws Exception {
        fake.nextReplies(Reply.status(429).rateLimitReset(1795422184L), Reply.status(529));

        HttpResponse<String> limited = post("/v1/messages", "{}");
        HttpResponse<String> overloaded = post("/v1/messages", "{}");
        HttpResponse<String> fine = post("/v1/messages", "{}");

        JsonNode captured429 = fixture("10-upstream-errors").get(0).get("upstream").get(0).get("response");
        assertEquals(429, limited.statusCode());
        assertEquals("1795422184", limited.headers().firstValue("anthropic-ratelimit-unified-reset").orElseThrow());
        assertEquals("60", limited.headers().firstValue("retry-after").orElseThrow());
        assertEquals(captured429.get("body"), JSON.readTree(limited.body()));
        assertEquals(529, overloaded.statusCode());
        assertEquals("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}",
                overloaded.body());
        assertFalse(overloaded.headers().firstValue("retry-after").isPresent());
        assertEquals(200, fine.statusCode());
        assertEquals(0, fake.pendingReplies());
        assertEquals(3, fake.requests().size());
    }

    @Test
    void headersDriveStatusErrorTypeResetAndExtraHeaders() throws Exception {
        HttpResponse<String> limited = post("/v1/messages", "{}", FakeAnthropic.STATUS_HEADER, "429",
                FakeAnthropic.RATELIMIT_RESET_HEADER, "1795422999");
        assertEquals(429, limited.statusCode());
        assertEquals("1795422999", limited.headers().firstValue("anthropic-ratelimit-unified-reset").orElseThrow());
        assertEquals("rate_limit_error", JSON.readTree(limited.body()).get("error").get("type").asText());

        HttpResponse<String> bad = post("/v1/messages", "{}", FakeAnthropic.STATUS_HEADER, "400",
                FakeAnthropic.ERROR_TYPE_HEADER, "invalid_request_error");
        assertEquals(400, bad.statusCode());
        assertEquals("error", JSON.readTree(bad.body()).get("type").asText());
        assertEquals("invalid_request_error", JSON.readTree(bad.body()).get("error").get("type").asText());

        fake.nextReplies(Reply.ok().header("anthropic-ratelimit-unified-5h-utilization", "0.42"));
        HttpResponse<String> withHeader = post("/v1/messages", "{}");
        assertEquals("0.42",
                withHeader.headers().firstValue("anthropic-ratelimit-unified-5h-utilization").orElseThrow());
    }

    @Test
    void cutAfterDropsTheConnectionMidStream() throws Exception {
        String body = "{\"stream\":true}";
        String head = "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n" + FakeAnthropic.CUT_AFTER_HEADER
                + ": 4\r\nContent-Length: " + body.length() + "\r\n\r\n";
        String answer;
        try (Socket socket = new Socket("127.0.0.1", fake.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write((head + body).getBytes(StandardCharsets.UTF_8));
            // keep-alive was asked for, so reaching EOF at all means the server dropped the connection
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        assertTrue(answer.contains("transfer-encoding: chunked"), answer);
        List<String> eventLines = answer.lines().filter(l -> l.startsWith("event: ")).toList();
        assertEquals(List.of("event: message_start", "event: content_block_start", "event: ping",
                "event: content_block_delta"), eventLines);
        assertFalse(answer.endsWith("0\r\n\r\n"), "no terminating chunk");
    }

    @Test
    void queuedCutWorksWithoutHeadersToo() throws Exception {
        fake.nextReplies(Reply.ok().cutAfter(1));
        HttpRequest request = HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/v1/messages"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}")).build();
        assertThrows(IOException.class, () -> HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void countTokensDelayAndUnknownPath() throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> count = post("/v1/messages/count_tokens?beta=true", "{\"stream\":true}",
                FakeAnthropic.DELAY_HEADER, "300");
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals(200, count.statusCode());
        assertEquals("{\"input_tokens\":1200}", count.body());
        assertTrue(elapsedMs >= 300, "delayed " + elapsedMs + " ms");

        HttpResponse<String> unknown = post("/v1/other", "{}");
        assertEquals(404, unknown.statusCode());
        assertEquals("not_found_error", JSON.readTree(unknown.body()).get("error").get("type").asText());
    }

    @Test
    void theOfficialSdkReadsBothFormats() {
        AnthropicClient client = AnthropicOkHttpClient.builder().baseUrl(fake.baseUrl()).apiKey("sk-ant-test")
                .maxRetries(0).build();
        try {
            MessageCreateParams params = MessageCreateParams.builder().model("claude-sonnet-4-20250514")
                    .maxTokens(1024).addUserMessage("hi").build();
            Message message = client.messages().create(params);
            assertEquals(1200, message.usage().inputTokens());
            assertEquals(345, message.usage().outputTokens());
            assertEquals(3000L, message.usage().cacheReadInputTokens().orElseThrow());

            MessageAccumulator accumulator = MessageAccumulator.create();
            try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params)) {
                stream.stream().forEach(accumulator::accumulate);
            }
            Message streamed = accumulator.message();
            assertEquals(345, streamed.usage().outputTokens());
            assertEquals(1200, streamed.usage().inputTokens());
            assertEquals(Reply.DEFAULT_TEXT.repeat(10), streamed.content().get(0).asText().text());
            assertEquals("sk-ant-test", fake.lastRequest().header("x-api-key"));
        } finally {
            client.close();
        }
    }

    private record Event(String name, String data) {
    }

    /** Splits an SSE body on the blank line and reads {@code event:} and {@code data:} of each frame. */
    private static List<Event> sse(String raw) {
        assertTrue(raw.endsWith("\n\n"), "frames end with a blank line");
        List<Event> events = new ArrayList<>();
        for (String frame : raw.substring(0, raw.length() - 2).split("\n\n", -1)) {
            String[] lines = frame.split("\n", -1);
            assertEquals(2, lines.length, frame);
            assertTrue(lines[0].startsWith("event: ") && lines[1].startsWith("data: "), frame);
            events.add(new Event(lines[0].substring(7), lines[1].substring(6)));
        }
        return events;
    }

    private static HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fake.baseUrl() + path))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode fixture(String folder) throws IOException {
        return JSON.readTree(Files.readString(FIXTURES.resolve(folder).resolve("http.json")));
    }
}
