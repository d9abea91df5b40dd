package dev.relay.scheduler;

import dev.relay.failure.RelayFailure;
import dev.relay.store.LegacyClock;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The legacy's 403 answers for a key whose dedicated Claude OAuth account is limited (relay.md §4.2 step 3, §5.2
 * step 2; fixture 10 oauth-429): the reset time in {@code TIMEZONE_OFFSET} time, as
 * {@code YYYY-MM-DD HH:mm:ss (UTC+8)}.
 */
public final class DedicatedRefusal {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private DedicatedRefusal() {
    }

    /** {@code upstream_rate_limited}: the whole account is limited until {@code end} (null: unknown). */
    public static RelayFailure rateLimited(Instant end, LegacyClock clock) {
        String message = end == null ? "此专属账号已触发 Anthropic 限流控制。"
                : "此专属账号已触发 Anthropic 限流控制，将于 " + format(end, clock) + " 自动恢复。";
        return new RelayFailure(403, new JsonObject().put("error", "upstream_rate_limited").put("message", message));
    }

    /** {@code opus_weekly_limit}: the account's Opus limit holds until {@code end} (null: unknown). */
    public static RelayFailure opusLimited(Instant end, LegacyClock clock) {
        String message = end == null ? "此专属账号的Opus模型已达到周使用限制，请尝试切换其他模型后再试。"
                : "此专属账号的Opus模型已达到周使用限制，将于 " + format(end, clock) + " 自动恢复，请尝试切换其他模型后再试。";
        return new RelayFailure(403, new JsonObject().put("error", "opus_weekly_limit").put("message", message));
    }

    static String format(Instant instant, LegacyClock clock) {
        int offset = clock.offsetHours();
        return TIME.format(instant.plusSeconds(offset * 3600L).atZone(ZoneOffset.UTC))
                + " (UTC" + (offset >= 0 ? "+" : "") + offset + ")";
    }
}
