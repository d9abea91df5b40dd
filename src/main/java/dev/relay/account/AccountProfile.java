package dev.relay.account;

/**
 * The fields every account platform stores under the same name (redis-keys.md §2.4, "common field conventions"),
 * decoded once for all platforms. A text field a platform does not store reads {@code ""}: Bedrock's JSON has no
 * {@code status}, {@code proxy}, {@code errorMessage}, rate-limit or {@code lastUsedAt}; Azure OpenAI and Droid
 * write no rate-limit fields.
 *
 * @param accountType           {@code shared} or {@code dedicated} (Claude also {@code group})
 * @param priority              lower is preferred; 50 when missing or unparseable
 * @param active                the stored {@code isActive}
 * @param schedulable           anything but an explicit {@code false} is schedulable
 * @param proxy                 JSON {@code {"type","host","port","username","password"}} or {@code ""}
 * @param subscriptionExpiresAt ISO business expiry; {@code ""} = never
 */
public record AccountProfile(
        String id,
        String name,
        String description,
        String accountType,
        int priority,
        boolean active,
        String status,
        boolean schedulable,
        String proxy,
        String subscriptionExpiresAt,
        String errorMessage,
        String rateLimitStatus,
        String rateLimitedAt,
        String lastUsedAt) {

    static AccountProfile decode(StoredFields stored) {
        return new AccountProfile(stored.text("id"), stored.text("name"), stored.text("description"),
                stored.text("accountType"), stored.priority(), stored.active(), stored.text("status"),
                stored.schedulable(), stored.text("proxy"), stored.text("subscriptionExpiresAt"),
                stored.text("errorMessage"), stored.text("rateLimitStatus"), stored.text("rateLimitedAt"),
                stored.text("lastUsedAt"));
    }
}
