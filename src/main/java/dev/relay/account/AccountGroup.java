package dev.relay.account;

import java.util.Map;
import java.util.Set;

/**
 * An account group, {@code account_group:{id}} plus its members set (redis-keys.md §2.6).
 *
 * @param platform {@code claude}, {@code gemini}, {@code openai} or {@code droid}
 * @param members  raw account ids (a Claude group may mix OAuth, Console and CCR ids)
 */
public record AccountGroup(
        String id,
        String name,
        String platform,
        String description,
        String proxy,
        Set<String> members,
        Map<String, String> raw) {
}
