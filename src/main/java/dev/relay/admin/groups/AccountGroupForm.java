package dev.relay.admin.groups;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The legacy group service's checks and stored shapes (redis-keys.md §2.6): every message as it words it. */
final class AccountGroupForm {
    static final Set<String> PLATFORMS = Set.of("claude", "gemini", "openai", "droid");
    private static final Set<String> PROXY_TYPES = Set.of("socks5", "http", "https");
    private static final Set<String> FIXED = Set.of("id", "platform", "createdAt");

    static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private AccountGroupForm() {
    }

    static Map<String, String> create(JsonObject body, String id, String now) {
        String name = text(body.getValue("name"));
        String platform = text(body.getValue("platform"));
        if (name.isEmpty() || platform.isEmpty()) {
            throw new Invalid("分组名称和平台类型为必填项");
        }
        if (!PLATFORMS.contains(platform)) {
            throw new Invalid("平台类型必须是 claude、gemini、openai 或 droid");
        }
        Map<String, String> group = new LinkedHashMap<>();
        group.put("id", id);
        group.put("name", name);
        group.put("platform", platform);
        group.put("description", body.getValue("description") == null ? "" : text(body.getValue("description")));
        group.put("proxy", proxy(body.getValue("proxy")));
        group.put("proxyPriority", proxyPriority(body.getValue("proxyPriority")));
        group.put("createdAt", now);
        group.put("updatedAt", now);
        return group;
    }

    /** updateGroup: any body field but id, platform and createdAt; a changed platform is refused. */
    static Map<String, String> update(JsonObject body, String storedPlatform, String now) {
        Object platform = body.getValue("platform");
        if (platform != null && !text(platform).isEmpty() && !text(platform).equals(storedPlatform)) {
            throw new Invalid("不能修改分组的平台类型");
        }
        Map<String, String> updates = new LinkedHashMap<>();
        body.forEach(entry -> {
            if (!FIXED.contains(entry.getKey())) {
                updates.put(entry.getKey(), text(entry.getValue()));
            }
        });
        updates.put("updatedAt", now);
        if (body.containsKey("proxy")) {
            updates.put("proxy", proxy(body.getValue("proxy")));
        }
        if (body.containsKey("proxyPriority")) {
            updates.put("proxyPriority", proxyPriority(body.getValue("proxyPriority")));
        }
        return updates;
    }

    /** A group as the legacy's {@code _formatGroupData} shows it: stored fields, {@code proxy} parsed or null. */
    static JsonObject view(Map<String, String> stored) {
        JsonObject json = new JsonObject();
        stored.forEach(json::put);
        json.put("proxy", parsed(stored.get("proxy")));
        return json;
    }

    private static String proxy(Object value) {
        if (value == null || "".equals(value)) {
            return "";
        }
        Object config = value instanceof String s ? parsed(s) : value;
        if (!(config instanceof JsonObject proxy) || !validProxy(proxy)) {
            throw new Invalid("代理配置无效（需要包含 type/host/port 且 type 必须为 socks5/http/https）");
        }
        return proxy.encode();
    }

    private static boolean validProxy(JsonObject proxy) {
        String type = text(proxy.getValue("type"));
        String host = text(proxy.getValue("host"));
        String port = text(proxy.getValue("port"));
        if (!PROXY_TYPES.contains(type) || host.isEmpty() || port.isEmpty()) {
            return false;
        }
        Integer number = leadingInt(port);
        return number != null && number >= 1 && number <= 65535;
    }

    private static String proxyPriority(Object value) {
        if (value == null || "".equals(value)) {
            return "";
        }
        Integer parsed = leadingInt(text(value));
        if (parsed == null || parsed < 1 || parsed > 100) {
            throw new Invalid("proxyPriority 必须是 1-100 的整数（数字越小优先级越高）");
        }
        return parsed.toString();
    }

    /** JavaScript's {@code parseInt(text, 10)}: the leading integer, or null when there is none. */
    static Integer leadingInt(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s*([+-]?\\d+)").matcher(text);
        if (!m.find()) {
            return null;
        }
        try {
            return Integer.valueOf(m.group(1));
        } catch (NumberFormatException huge) {
            return null;
        }
    }

    /** A body value as the stored string; objects and arrays as JSON (the legacy would store "[object Object]"). */
    static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof JsonObject || value instanceof JsonArray) {
            return Json.encode(value);
        }
        if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
            return String.valueOf(d.longValue());
        }
        return value.toString();
    }

    private static Object parsed(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Json.decodeValue(text);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }
}
