package dev.relay.account;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Bedrock account, the JSON STRING {@code bedrock_account:{id}} (redis-keys.md §2.4; JSON types, not strings).
 *
 * @param credentials decrypted {@code awsCredentials} ({@code accessKeyId}, {@code secretAccessKey},
 *                    {@code sessionToken}?, ...); an empty object when they cannot be decrypted
 * @param raw         the whole stored JSON object
 */
public record BedrockAccount(
        AccountProfile profile,
        String region,
        String defaultModel,
        String credentialType,
        String createdAt,
        String updatedAt,
        JsonNode credentials,
        JsonNode raw) implements Account {

    @Override
    public Platform platform() {
        return Platform.BEDROCK;
    }

    public String accessKeyId() {
        return credentials.path("accessKeyId").asText("");
    }

    public String secretAccessKey() {
        return credentials.path("secretAccessKey").asText("");
    }

    /** {@code ""} when absent. */
    public String sessionToken() {
        return credentials.path("sessionToken").asText("");
    }
}
