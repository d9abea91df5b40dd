package dev.relay.account;

import java.util.List;
import java.util.Map;

/**
 * An Azure OpenAI account, {@code azure_openai:account:{id}}; key decrypted with salt
 * {@code azure-openai-account-default-salt}. {@code apiVersion} defaults to {@code 2024-02-01},
 * {@code deploymentName} to {@code gpt-4}.
 */
public record AzureOpenAIAccount(
        String id,
        String name,
        String description,
        String accountType,
        String groupId,
        int priority,
        String azureEndpoint,
        String apiVersion,
        String deploymentName,
        String apiKey,
        List<String> supportedModels,
        String subscriptionExpiresAt,
        boolean active,
        String status,
        boolean schedulable,
        String proxy,
        String lastUsedAt,
        Map<String, String> raw) {
}
