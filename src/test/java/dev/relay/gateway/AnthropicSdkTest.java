package dev.relay.gateway;

import static dev.relay.gateway.RelayFlow.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.RateLimitException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import dev.relay.fake.Reply;
import dev.relay.store.LegacyClock;
import dev.relay.testsupport.RelayTestResource;
import dev.relay.testsupport.RelayWorld;
import dev.relay.testsupport.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official Anthropic Java SDK as the client of the gateway (base URL {@code <gateway>/api}). */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class AnthropicSdkTest extends RelayTestBase {
    RelayWorld.SeededKey key;
    String account;
    AnthropicClient client;

    @BeforeEach
    void seedKey() {
        key = world.key(Map.of());
        account = world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        TestRedis.await(pool.reload());
        client = AnthropicOkHttpClient.builder().baseUrl(RelayFlow.gateway() + "/api").apiKey(key.raw())
                .maxRetries(0).build();
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    static MessageCreateParams params() {
        return MessageCreateParams.builder().model(RelayFlow.MODEL).maxTokens(1024).addUserMessage("hi").build();
    }

    @Test
    void nonStreamingCreate() {
        Message message = client.messages().create(params());

        assertEquals(Reply.DEFAULT_TEXT.repeat(3), message.content().get(0).asText().text());
        assertEquals(RelayFlow.MODEL, message.model().asString());
        assertEquals(1200, message.usage().inputTokens());
        assertEquals(345, message.usage().outputTokens());
        assertEquals(200L, message.usage().cacheCreationInputTokens().orElseThrow());
        assertEquals(3000L, message.usage().cacheReadInputTokens().orElseThrow());
        assertEquals(RelayWorld.upstreamKeyOf(account), upstream.lastRequest().header("x-api-key"));
        assertEquals("/v1/messages", upstream.lastRequest().path());

        assertUsageRecorded(1, 345);
    }

    @Test
    void streamingCreate() {
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        Message message = accumulator.message();

        assertEquals(Reply.DEFAULT_TEXT.repeat(10), message.content().get(0).asText().text());
        assertEquals(1200, message.usage().inputTokens());
        assertEquals(345, message.usage().outputTokens());
        assertEquals(3000L, message.usage().cacheReadInputTokens().orElseThrow());

        assertUsageRecorded(1, 345);
    }

    @Test
    void upstreamErrorReachesTheSdkAsItsTypedException() {
        upstream.defaultReply(Reply.status(429));

        RateLimitException e = assertThrows(RateLimitException.class, () -> client.messages().create(params()));
        assertEquals(429, e.statusCode());
        assertTrue(e.getMessage().contains("mock rate limited"), e.getMessage());
    }

    void assertUsageRecorded(int requests, long output) {
        String id = key.id();
        assertEquals(String.valueOf(requests), field(redis, "usage:" + id, "totalRequests"));
        assertEquals("1200", field(redis, "usage:" + id, "totalInputTokens"));
        assertEquals(String.valueOf(output), field(redis, "usage:" + id, "totalOutputTokens"));
        assertEquals("200", field(redis, "usage:" + id, "totalCacheCreateTokens"));
        assertEquals("3000", field(redis, "usage:" + id, "totalCacheReadTokens"));
        assertEquals("4745", field(redis, "usage:" + id, "totalAllTokens"));
        assertEquals("1545", field(redis, "usage:" + id, "totalTokens"));
        String date = new LegacyClock(8, ZoneOffset.UTC).date(Instant.now());
        assertEquals("1200", field(redis, "usage:daily:" + id + ":" + date, "inputTokens"));
        assertEquals("1", field(redis, "usage:" + id + ":model:daily:" + RelayFlow.MODEL + ":" + date, "requests"));
        assertEquals("1", field(redis, "account_usage:" + account, "totalRequests"));
        assertEquals("0.0105375", RelayFlow.eventually(() -> RelayFlow.string(redis, "usage:cost:total:" + id)));
    }
}
