package dev.relay.admin;

import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.testsupport.RelayTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Account groups and their members through the admin API, on the legacy's keys (redis-keys.md §2.6, fixture 03). */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class AccountGroupsAdminTest extends AdminTestBase {
    static String createGroup(String token, String body) {
        return as(token).contentType("application/json").body(body).post("/admin/account-groups")
                .then().statusCode(200).body("success", is(true)).extract().path("data.id");
    }

    @Test
    void createStoresTheLegacyHashAndIndex() {
        String token = login();
        String id = as(token).contentType("application/json").body("{\"name\":\"g1\",\"platform\":\"claude\","
                + "\"description\":\"first\",\"proxy\":{\"type\":\"socks5\",\"host\":\"127.0.0.1\",\"port\":1080},"
                + "\"proxyPriority\":\"5\"}").post("/admin/account-groups").then().statusCode(200)
                .body("data.name", is("g1")).body("data.proxy.type", is("socks5")).body("data.proxyPriority", is("5"))
                .extract().path("data.id");
        Map<String, String> stored = AdminAuthTest.hash("account_group:" + id);
        assertEquals(new TreeSet<>(List.of("id", "name", "platform", "description", "proxy", "proxyPriority", "createdAt",
                "updatedAt")), new TreeSet<>(stored.keySet()));
        assertEquals("{\"type\":\"socks5\",\"host\":\"127.0.0.1\",\"port\":1080}", stored.get("proxy"));
        assertTrue(redis.call("SISMEMBER", "account_groups", id).toBoolean());
        assertEquals(-1, redis.call("TTL", "account_group:" + id).toLong());

        String second = createGroup(token, "{\"name\":\"g2\",\"platform\":\"gemini\"}");
        assertEquals("", AdminAuthTest.hash("account_group:" + second).get("proxy"));
        as(token).get("/admin/account-groups").then().statusCode(200).body("data.size()", is(2))
                .body("data[0].id", is(second)).body("data[0].proxy", nullValue()).body("data[1].memberCount", is(0));
        as(token).get("/admin/account-groups?platform=claude").then().body("data.size()", is(1)).body("data[0].id", is(id));
        as(token).get("/admin/account-groups/" + id).then().statusCode(200).body("data.memberCount", is(0))
                .body("data.description", is("first"));
    }

    @Test
    void badInputIsRefusedAndWritesNothing() {
        String token = login();
        as(token).contentType("application/json").body("{\"name\":\"x\"}").post("/admin/account-groups")
                .then().statusCode(400).body("error", is("分组名称和平台类型为必填项"));
        as(token).contentType("application/json").body("{\"name\":\"x\",\"platform\":\"bedrock\"}")
                .post("/admin/account-groups").then().statusCode(400).body("error", is("平台类型必须是 claude、gemini、openai 或 droid"));
        as(token).contentType("application/json").body("{\"name\":\"x\",\"platform\":\"claude\",\"proxy\":{\"type\":\"ftp\","
                + "\"host\":\"h\",\"port\":1}}").post("/admin/account-groups").then().statusCode(400)
                .body("error", is("代理配置无效（需要包含 type/host/port 且 type 必须为 socks5/http/https）"));
        as(token).contentType("application/json").body("{\"name\":\"x\",\"platform\":\"claude\",\"proxyPriority\":0}")
                .post("/admin/account-groups").then().statusCode(400)
                .body("error", is("proxyPriority 必须是 1-100 的整数（数字越小优先级越高）"));
        assertEquals(0, redis.call("SCARD", "account_groups").toLong());
        String ghost = "4d7c4a47-9f4e-4b07-9a37-0a8f9c1d2e3f";
        as(token).get("/admin/account-groups/" + ghost).then().statusCode(404).body("error", is("分组不存在"));
        as(token).get("/admin/account-groups/" + ghost + "/members").then().statusCode(404).body("error", is("分组不存在"));
        as(token).contentType("application/json").body("{\"name\":\"y\"}").put("/admin/account-groups/" + ghost)
                .then().statusCode(400).body("error", is("分组不存在"));
        as(token).delete("/admin/account-groups/" + ghost).then().statusCode(400).body("error", is("分组不存在"));
        assertEquals(0, redis.call("EXISTS", "account_group:" + ghost).toLong());
    }

    @Test
    void updateMergesFieldsButNeverThePlatform() {
        String token = login();
        String id = createGroup(token, "{\"name\":\"g\",\"platform\":\"claude\",\"proxyPriority\":3}");
        String createdAt = AdminAuthTest.hash("account_group:" + id).get("createdAt");
        as(token).contentType("application/json").body("{\"platform\":\"openai\",\"name\":\"changed\"}")
                .put("/admin/account-groups/" + id).then().statusCode(400).body("error", is("不能修改分组的平台类型"));
        assertEquals("g", AdminAuthTest.hash("account_group:" + id).get("name"));
        as(token).contentType("application/json").body("{\"name\":\"renamed\",\"platform\":\"claude\",\"id\":\"other\","
                + "\"createdAt\":\"2000-01-01T00:00:00.000Z\",\"proxyPriority\":\"\"}").put("/admin/account-groups/" + id)
                .then().statusCode(200).body("data.name", is("renamed")).body("data.id", is(id));
        Map<String, String> stored = AdminAuthTest.hash("account_group:" + id);
        assertEquals("renamed", stored.get("name"));
        assertEquals(id, stored.get("id"));
        assertEquals(createdAt, stored.get("createdAt"));
        assertEquals("claude", stored.get("platform"));
        assertEquals("", stored.get("proxyPriority"));
    }

    @Test
    void membersJoinThroughGroupAccountsAndBlockDeletion() {
        String token = login();
        String group = createGroup(token, "{\"name\":\"pool\",\"platform\":\"claude\"}");
        String gemini = createGroup(token, "{\"name\":\"other\",\"platform\":\"gemini\"}");
        String member = ConsoleAccountsAdminTest.createAccount(token, ConsoleAccountsAdminTest.CREATE
                .replace("\"accountType\":\"shared\"", "\"accountType\":\"group\",\"groupId\":\"" + group + "\""));
        assertTrue(redis.call("SISMEMBER", "account_group_members:" + group, member).toBoolean());
        assertEquals("group", AdminAuthTest.hash("claude_console_account:" + member).get("accountType"));
        assertFalse(redis.call("SISMEMBER", "shared_claude_console_accounts", member).toBoolean());

        as(token).contentType("application/json").body(ConsoleAccountsAdminTest.CREATE
                .replace("\"accountType\":\"shared\"", "\"accountType\":\"group\",\"groupId\":\"" + gemini + "\""))
                .post("/admin/claude-console-accounts").then().statusCode(400).body("error", is("账户平台与分组平台不匹配"));
        assertEquals(1, redis.call("SCARD", "account_group_members:" + group).toLong());
        assertEquals(0, redis.call("SCARD", "account_group_members:" + gemini).toLong());

        as(token).get("/admin/account-groups/" + group + "/members").then().statusCode(200).body("data.size()", is(1))
                .body("data[0].id", is(member)).body("data[0].apiKey", is("***"));
        as(token).get("/admin/claude-console-accounts?groupId=" + group).then().body("data.size()", is(1))
                .body("data[0].groupInfos[0].id", is(group));
        as(token).get("/admin/claude-console-accounts?groupId=ungrouped").then().body("data.size()", is(0));
        as(token).delete("/admin/account-groups/" + group).then().statusCode(400).body("error", is("分组内还有账户，无法删除"));

        as(token).contentType("application/json").body("{\"accountType\":\"shared\"}")
                .put("/admin/claude-console-accounts/" + member).then().statusCode(200);
        assertEquals(0, redis.call("SCARD", "account_group_members:" + group).toLong());
        assertTrue(redis.call("SISMEMBER", "shared_claude_console_accounts", member).toBoolean());
        as(token).contentType("application/json").body("{\"accountType\":\"group\",\"groupIds\":[\"" + group + "\"]}")
                .put("/admin/claude-console-accounts/" + member).then().statusCode(200);
        assertTrue(redis.call("SISMEMBER", "account_group_members:" + group, member).toBoolean());
        as(token).delete("/admin/claude-console-accounts/" + member).then().statusCode(200);
        assertEquals(0, redis.call("SCARD", "account_group_members:" + group).toLong());

        String key = as(token).contentType("application/json")
                .body("{\"name\":\"bound\",\"claudeAccountId\":\"group:" + group + "\"}").post("/admin/api-keys")
                .then().statusCode(200).extract().path("data.id");
        as(token).delete("/admin/account-groups/" + group).then().statusCode(400)
                .body("error", is("还有API Key使用此分组，无法删除"));
        as(token).contentType("application/json").body("{\"claudeAccountId\":\"\"}").put("/admin/api-keys/" + key)
                .then().statusCode(200);
        as(token).delete("/admin/account-groups/" + group).then().statusCode(200).body("message", is("分组删除成功"));
        assertEquals(0, redis.call("EXISTS", "account_group:" + group).toLong());
        assertFalse(redis.call("SISMEMBER", "account_groups", group).toBoolean());
        as(token).get("/admin/account-groups").then().body("data.id", hasItem(gemini)).body("data.size()", is(1));
    }

    @Test
    void otherPlatformListsShowTheirGroups() {
        String token = login();
        String group = createGroup(token, "{\"name\":\"gem\",\"platform\":\"gemini\"}");
        redis.call("HSET", "gemini_account:g-1", "id", "g-1", "name", "in-group", "createdAt", "2026-11-23T07:00:00.000Z");
        redis.call("HSET", "gemini_account:g-2", "id", "g-2", "name", "alone", "createdAt", "2026-11-23T07:00:01.000Z");
        redis.call("SADD", "account_group_members:" + group, "g-1");
        as(token).get("/admin/gemini-accounts?groupId=" + group).then().statusCode(200).body("data.size()", is(1))
                .body("data[0].id", is("g-1")).body("data[0].groupInfos[0].name", is("gem"))
                .body("data[0].groupInfos[0].memberCount", is(1));
        as(token).get("/admin/gemini-accounts?groupId=ungrouped").then().body("data.size()", is(1))
                .body("data[0].id", is("g-2"));
        as(token).get("/admin/account-groups/" + group + "/members").then().body("data[0].name", is("in-group"));
    }
}
