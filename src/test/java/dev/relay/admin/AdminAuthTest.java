package dev.relay.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.store.LegacyClock;
import dev.relay.testsupport.Eventually;
import dev.relay.testsupport.RelayTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code /web/auth/*} and the {@code /admin} gate against fixture 20 (admin-and-postgres.md §1). */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class AdminAuthTest extends AdminTestBase {
    static final String LEGACY_TOKEN = "613f8d2a2f87987d360a5938decdf8599a8b74a6c5880935323271dcb81980c0";

    @Test
    void loginValidatesItsInput() {
        given().contentType("application/json").body("{\"username\":\"admin\"}").post("/web/auth/login")
                .then().statusCode(400).body("error", is("Missing credentials"))
                .body("message", is("Username and password are required"));
        given().post("/web/auth/login").then().statusCode(400).body("error", is("Missing credentials"));
        given().contentType("application/json").body("{\"username\":\"ADMIN\",\"password\":\"" + PASSWORD + "\"}")
                .post("/web/auth/login").then().statusCode(401).body("error", is("Invalid credentials"))
                .body("message", is("Invalid username or password"));
        given().contentType("application/json").body("{\"username\":\"admin\",\"password\":\"nope-nope\"}")
                .post("/web/auth/login").then().statusCode(401).body("error", is("Invalid credentials"));
    }

    @Test
    void loginWritesALegacySessionWithA24HourTtl() {
        String token = given().contentType("application/x-www-form-urlencoded")
                .body("username=admin&password=" + PASSWORD).post("/web/auth/login")
                .then().statusCode(200).body("success", is(true)).body("expiresIn", is(86400000))
                .body("username", is("admin")).body("token", matchesPattern("[0-9a-f]{64}"))
                .header("Content-Security-Policy", not(emptyOrNullString()))
                .extract().path("token");
        Map<String, String> session = hash("session:" + token);
        assertEquals("admin", session.get("username"));
        assertEquals(session.get("loginTime"), session.get("lastActivity"));
        assertTrue(Instant.parse(session.get("loginTime")).isAfter(Instant.now().minusSeconds(60)));
        long ttl = redis.call("TTL", "session:" + token).toLong();
        assertTrue(ttl > 86_000 && ttl <= 86_400, "seconds, not the legacy's milliseconds: " + ttl);
        // a reader that follows only the contract accepts it
        assertTrue(ContractSessionReader.accepts(session, Instant.now()));
    }

    @Test
    void aSessionTheLegacyWroteOpensEveryAdminRoute() {
        legacySession(LEGACY_TOKEN, Instant.now().minusSeconds(60), 86_400_000L);
        as(LEGACY_TOKEN).get("/admin/check-updates").then().statusCode(200).body("success", is(true));
        given().header("Authorization", "bearer " + LEGACY_TOKEN).get("/admin/check-updates").then().statusCode(200);
        given().header("x-admin-token", LEGACY_TOKEN).get("/admin/check-updates").then().statusCode(200);
        given().header("Authorization", LEGACY_TOKEN).get("/admin/check-updates").then().statusCode(200);
        // lastActivity and the 24 h TTL re-armed without the request waiting for it
        Eventually.eventually(() -> redis.call("TTL", "session:" + LEGACY_TOKEN).toLong() <= 86_400,
                "the session's TTL re-armed to 24 h");
        Instant touched = Instant.parse(hash("session:" + LEGACY_TOKEN).get("lastActivity"));
        assertTrue(touched.isAfter(Instant.now().minusSeconds(30)));
    }

    @Test
    void theGateRefusesAsTheLegacyDoes() {
        given().header("Cookie", "adminToken=" + LEGACY_TOKEN).get("/admin/check-updates").then().statusCode(401)
                .body("error", is("Missing admin token")).body("message", is("Please provide an admin token"));
        given().header("Authorization", "Bearer deadbeef").get("/admin/check-updates").then().statusCode(401)
                .body("error", is("Invalid admin token format"));
        given().header("Authorization", "Bearer " + "a".repeat(513)).get("/admin/check-updates").then().statusCode(401)
                .body("error", is("Invalid admin token format"));
        as("ab".repeat(32)).get("/admin/check-updates").then().statusCode(401).body("error", is("Invalid admin token"))
                .body("message", is("Invalid or expired admin session"));
        given().contentType("application/json").body("{\"name\":\"x\"}").post("/admin/api-keys").then()
                .statusCode(401).body("error", is("Missing admin token"));
        given().get("/admin/oem-settings").then().statusCode(200).body("data.siteName", is("Claude Relay Service"));
    }

    @Test
    void anIdleSessionIsDeleted() {
        legacySession(LEGACY_TOKEN, Instant.now().minus(Duration.ofHours(25)), 86_400L);
        as(LEGACY_TOKEN).get("/admin/check-updates").then().statusCode(401).body("error", is("Session expired"))
                .body("message", is("Admin session has expired due to inactivity"));
        assertEquals(0, redis.call("EXISTS", "session:" + LEGACY_TOKEN).toLong());
        as(LEGACY_TOKEN).get("/admin/check-updates").then().statusCode(401).body("error", is("Invalid admin token"));
    }

    @Test
    void aCorruptedSessionIsDeleted() {
        legacySession(LEGACY_TOKEN, Instant.now(), 86_400L);
        redis.call("HDEL", "session:" + LEGACY_TOKEN, "loginTime");
        as(LEGACY_TOKEN).get("/admin/check-updates").then().statusCode(401).body("error", is("Invalid session"))
                .body("message", is("Session data corrupted or incomplete"));
        assertEquals(0, redis.call("EXISTS", "session:" + LEGACY_TOKEN).toLong());
    }

    @Test
    void currentUserReadsOnlyAuthorization() {
        legacySession(LEGACY_TOKEN, Instant.now(), 86_400L);
        as(LEGACY_TOKEN).get("/web/auth/user").then().statusCode(200).body("success", is(true))
                .body("user.username", is("admin")).body("user.loginTime", not(emptyOrNullString()));
        given().header("Authorization", LEGACY_TOKEN).get("/web/auth/user").then().statusCode(200);
        given().header("x-admin-token", LEGACY_TOKEN).get("/web/auth/user").then().statusCode(401)
                .body("error", is("No token provided")).body("message", is("Authentication required"));
        given().header("Authorization", "bearer " + LEGACY_TOKEN).get("/web/auth/user").then().statusCode(401)
                .body("error", is("Invalid token")).body("message", is("Session expired or invalid"));
    }

    @Test
    void refreshKeepsTheTokenAndLogoutIsIdempotent() {
        String token = login();
        as(token).post("/web/auth/refresh").then().statusCode(200).body("token", is(token))
                .body("expiresIn", is(86400000));
        given().post("/web/auth/refresh").then().statusCode(401).body("error", is("No token provided"));
        as("cd".repeat(32)).post("/web/auth/refresh").then().statusCode(401).body("error", is("Invalid token"));
        as(token).get("/admin/check-updates").then().statusCode(200);
        as(token).post("/web/auth/logout").then().statusCode(200).body("message", is("Logout successful"));
        assertEquals(0, redis.call("EXISTS", "session:" + token).toLong());
        as(token).get("/admin/check-updates").then().statusCode(401).body("error", is("Invalid admin token"));
        as(token).post("/web/auth/logout").then().statusCode(200);
        given().post("/web/auth/logout").then().statusCode(200).body("success", is(true));
    }

    @Test
    void loginReloadsMissingCredentials() {
        redis.call("DEL", "session:admin_credentials");
        // the test profile has no init.json; ADMIN_USERNAME/ADMIN_PASSWORD are the fallback
        given().contentType("application/json").body("{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}")
                .post("/web/auth/login").then().statusCode(200);
        Map<String, String> stored = hash("session:admin_credentials");
        assertTrue(stored.get("passwordHash").startsWith("$2a$10$"), stored.toString());
        assertTrue(redis.call("TTL", "session:admin_credentials").toLong() > 364 * 86_400L);
    }

    @Test
    void legacyHashesOfEveryBcryptVersionAreAccepted() {
        // bcryptjs writes $2a$; $2b$ and $2y$ differ only in the version letter
        String legacy = dev.relay.store.AdminCredentials.hash(PASSWORD);
        storeCredentials(USER, "$2b$" + legacy.substring(4));
        login();
        storeCredentials(USER, "$2y$" + legacy.substring(4));
        login();
    }

    @Test
    void changingThePasswordEndsOnlyTheCallersSession() {
        String changer = login();
        String other = login();
        given().contentType("application/json").body("{\"currentPassword\":\"x\",\"newPassword\":\"yyyyyyyy\"}")
                .post("/web/auth/change-password").then().statusCode(401).body("error", is("No token provided"));
        as(changer).contentType("application/json").body("{\"currentPassword\":\"" + PASSWORD + "\"}")
                .post("/web/auth/change-password").then().statusCode(400).body("error", is("Missing required fields"));
        as(changer).contentType("application/json")
                .body("{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"short\"}")
                .post("/web/auth/change-password").then().statusCode(400).body("error", is("Password too short"));
        as(changer).contentType("application/json")
                .body("{\"currentPassword\":\"wrong-current\",\"newPassword\":\"long-enough-1\"}")
                .post("/web/auth/change-password").then().statusCode(401).body("error", is("Invalid current password"));
        as(changer).contentType("application/json")
                .body("{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"long-enough-1\",\"newUsername\":\"  admin2  \"}")
                .post("/web/auth/change-password").then().statusCode(200)
                .body("message", is("Password changed successfully. Please login again."))
                .body("newUsername", is("admin2"));
        as(changer).get("/admin/check-updates").then().statusCode(401);
        as(other).get("/admin/check-updates").then().statusCode(200);
        given().contentType("application/json").body("{\"username\":\"admin\",\"password\":\"long-enough-1\"}")
                .post("/web/auth/login").then().statusCode(401);
        String fresh = given().contentType("application/json")
                .body("{\"username\":\"admin2\",\"password\":\"long-enough-1\"}")
                .post("/web/auth/login").then().statusCode(200).body("username", is("admin2")).extract().path("token");
        as(fresh).get("/web/auth/user").then().statusCode(200).body("user.username", is("admin2"));
        assertTrue(hash("session:admin_credentials").get("passwordHash").startsWith("$2a$10$"));
        assertTrue(redis.call("TTL", "session:admin_credentials").toLong() > 364 * 86_400L,
                "the hash outlives a day: no init.json here to reload it from");
    }

    @Test
    void repeatedFailedLoginsAreRefusedWith429() {
        for (int i = 0; i < 10; i++) {
            given().contentType("application/json").body("{\"username\":\"admin\",\"password\":\"wrong-" + i + "\"}")
                    .post("/web/auth/login").then().statusCode(401);
        }
        given().contentType("application/json").body("{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}")
                .post("/web/auth/login").then().statusCode(429).body("error", is("Too many login attempts"))
                .header("Retry-After", matchesPattern("[1-9][0-9]*"));
        redis.call("DEL", "relay:admin_login:ip:127.0.0.1");
        login();
    }

    private static void legacySession(String token, Instant lastActivity, long ttl) {
        String iso = LegacyClock.iso(lastActivity);
        redis.call("HSET", "session:" + token, "username", "admin", "loginTime", iso, "lastActivity", iso);
        redis.call("EXPIRE", "session:" + token, String.valueOf(ttl));
    }

    static Map<String, String> hash(String key) {
        return dev.relay.store.Replies.hash(redis.call("HGETALL", key));
    }
}
