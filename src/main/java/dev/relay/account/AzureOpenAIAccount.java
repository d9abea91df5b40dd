package dev.relay.account;

import java.util.List;
import java.util.Map;

/**
 * An Azure OpenAI account, {@code azure_openai:account:{id}}; key decrypted with salt
 * {@code azure-openai-account-default-salt}. {@code apiVersion} defaults to {@code 2024-02-01},
 * {@code deploymentName} to {@code gpt-4}.
 */
public record AzureOpenAIAccount(
        AccountProfile profile,
        String groupId,
        String azureEndpoint,
        String apiVersion,
        String deploymentName,
        String apiKey,
        List<String> supportedModels,
        Map<String, String> raw) implements Account {

    @Override
    public Platform platform() {
        return Platform.AZURE_OPENAI;
    }
}
