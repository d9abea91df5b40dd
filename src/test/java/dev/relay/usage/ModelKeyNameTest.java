package dev.relay.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class ModelKeyNameTest {
    @Test
    void normalisesLikeTheLegacy() {
        assertEquals("claude-sonnet-4-20250514", ModelKeyName.of("us.anthropic.claude-sonnet-4-20250514-v1:0"));
        assertEquals("claude-3-5-sonnet-20240620", ModelKeyName.of("anthropic.claude-3-5-sonnet-20240620-v1:0"));
        assertEquals("claude-sonnet-4-20250514", ModelKeyName.of("claude-sonnet-4-20250514"));
        assertEquals("llama3", ModelKeyName.of("llama3:latest"));
        assertEquals("qwen3:8b", ModelKeyName.of("qwen3:8b"));
        assertEquals("unknown", ModelKeyName.of("unknown"));
        assertEquals("claude-sonnet-4-20250514[1m]", ModelKeyName.of("claude-sonnet-4-20250514[1m]"));
    }

    @Test
    void costModelDropsTheCcrPrefix() {
        assertEquals("claude-opus-4-20250514", ModelKeyName.costModel("ccr,claude-opus-4-20250514", null));
        assertEquals("claude-opus-4-20250514", ModelKeyName.costModel("CCR,claude-opus-4-20250514", null));
        assertEquals("from-response", ModelKeyName.costModel("", "from-response"));
        assertEquals("unknown", ModelKeyName.costModel(null, null));
    }

    @Test
    void manyDistinctClientModelsStillNormaliseAfterTheCacheIsFull() {
        for (int i = 0; i < 3_000; i++) {
            assertEquals("model-" + i, ModelKeyName.of("model-" + i + ":latest"));
            assertEquals("claude-x-" + i, ModelKeyName.of("eu.anthropic.claude-x-" + i + "-v2:0"));
        }
        assertEquals("claude-sonnet-4-20250514", ModelKeyName.of("us.anthropic.claude-sonnet-4-20250514-v1:0"));
    }
}
