package dev.relay.admin;

import static io.restassured.RestAssured.given;

import dev.relay.store.AdminCredentials;
import dev.relay.testsupport.TestRedis;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the admin API tests stand on: the running service (subclasses are {@code @QuarkusTest}s), the test Redis
 * emptied before each test, and the fixtures' admin login ({@code admin} / {@code fixture-admin-password}) stored as
 * the legacy stores it.
 */
public abstract class AdminTestBase {
    public static final String USER = "admin";
    public static final String PASSWORD = "fixture-admin-password";
    /** bcrypt is slow on purpose: hash the fixture password once per test JVM. */
    private static final String HASH = AdminCredentials.hash(PASSWORD);

    protected static TestRedis redis;

    @BeforeAll
    static void openRedis() {
        redis = new TestRedis();
    }

    @AfterAll
    static void closeRedis() {
        redis.close();
    }

    @BeforeEach
    void cleanRedis() {
        redis.flush();
        storeCredentials(USER, HASH);
    }

    protected static void storeCredentials(String user, String hash) {
        TestRedis.await(new AdminCredentials(redis.store).store(
                new AdminCredentials.Stored(user, hash, "2026-11-23T08:06:20.000Z", "", ""), AdminCredentials.TTL_SECONDS));
    }

    /** Logs in through the API and returns the session token. */
    protected static String login() {
        return given().contentType("application/json")
                .body("{\"username\":\"" + USER + "\",\"password\":\"" + PASSWORD + "\"}")
                .post("/web/auth/login").then().statusCode(200).extract().path("token");
    }

    /** A request carrying a fresh session as the dashboard sends it. */
    protected static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + login());
    }

    protected static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }
}
