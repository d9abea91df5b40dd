package dev.relay.account;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class PlatformTest {

    @Test
    void legacyNamesAreTheAccountTypesOfStickyMappingsAndTempUnavailableKeys() {
        // redis-keys.md §2.5/§2.7 (Claude, OpenAI and Gemini schedulers), admin-and-postgres.md for azure-openai
        assertEquals(List.of("claude-official", "claude-console", "ccr", "bedrock", "gemini", "gemini-api", "openai",
                "openai-responses", "azure-openai", "droid"),
                Arrays.stream(Platform.values()).map(Platform::legacyName).toList());
    }

    @Test
    void aLegacyNameNamesItsPlatform() {
        for (Platform platform : Platform.values()) {
            assertEquals(Optional.of(platform), Platform.fromLegacyName(platform.legacyName()));
        }
        assertEquals(Optional.empty(), Platform.fromLegacyName("claude"));
        assertEquals(Optional.empty(), Platform.fromLegacyName(null));
    }
}
