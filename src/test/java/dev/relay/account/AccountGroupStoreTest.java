package dev.relay.account;

import static dev.relay.testsupport.FixtureRedis.fixture;
import static dev.relay.testsupport.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.relay.testsupport.FixtureRedis;
import dev.relay.testsupport.TestRedis;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccountGroupStoreTest {
    static final String GROUP_ID = "cb0a620d-3a0c-4249-a2c2-84913c262a1d";

    TestRedis redis;
    AccountGroupStore store;

    @BeforeEach
    void setUp() {
        redis = new TestRedis().flush();
        store = new AccountGroupStore(redis.store);
        FixtureRedis.load(redis, fixture("03-groups", "redis.json"));
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    @Test
    void fixtureGroupReadsBackWithItsMembers() {
        AccountGroup group = await(store.group(GROUP_ID)).orElseThrow();
        assertEquals(GROUP_ID, group.id());
        assertEquals("fx-claude-group", group.name());
        assertEquals("claude", group.platform());
        assertEquals("fixture group", group.description());
        assertEquals("", group.proxy());
        assertEquals(Set.of("db73f4b9-4628-4f93-8451-a5e2e06b5618", "022165d6-e72e-428f-8e7b-e86b58f0d824"),
                group.members());
        assertEquals(Map.of("createdAt", "2026-11-23T07:21:47.084Z", "description", "fixture group",
                "id", GROUP_ID, "name", "fx-claude-group", "platform", "claude", "proxy", "",
                "proxyPriority", "", "updatedAt", "2026-11-23T07:21:47.084Z"), group.raw());
        assertEquals(Set.of(GROUP_ID), await(store.groupIds()));
        assertEquals(List.of(group), await(store.allGroups()));
    }

    @Test
    void missingGroupIsEmptyAndAGroupWithoutMembersHasNone() {
        assertEquals(Optional.empty(), await(store.group("nope")));
        redis.call("HSET", AccountGroupStore.key("g2"), "id", "g2", "name", "empty", "platform", "gemini");
        AccountGroup empty = await(store.group("g2")).orElseThrow();
        assertEquals(Set.of(), empty.members());
        assertEquals("gemini", empty.platform());
    }

    @Test
    void groupBindingOfAnApiKey() {
        assertEquals(Optional.of(GROUP_ID), AccountGroupStore.boundGroupId("group:" + GROUP_ID));
        assertEquals(Optional.empty(), AccountGroupStore.boundGroupId("api:" + GROUP_ID));
        assertEquals(Optional.empty(), AccountGroupStore.boundGroupId("group:"));
        assertEquals(Optional.empty(), AccountGroupStore.boundGroupId(""));
        assertEquals("account_group_members:x", AccountGroupStore.membersKey("x"));
    }
}
