package dev.relay.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.relay.testsupport.RelayTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard build at {@code /admin-next/} and the legacy's redirects, as fixture 24 (SPA build) shows them. */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class SpaRoutesTest {
    static final String INDEX = "<!DOCTYPE html><html lang=\"zh-CN\"><body>spa</body></html>";

    @BeforeAll
    static void build() throws IOException {
        Path dir = Path.of("target", "test-spa");
        Files.createDirectories(dir.resolve("assets"));
        Files.writeString(dir.resolve("index.html"), INDEX);
        Files.writeString(dir.resolve("assets").resolve("index-kkHeIq0S.js"), "console.log('spa')");
    }

    @Test
    void redirectsAsTheLegacy() {
        given().redirects().follow(false).get("/").then().statusCode(302).header("Location", "/admin-next/api-stats");
        given().redirects().follow(false).get("/web").then().statusCode(301).header("Location", "/admin-next/api-stats");
        given().redirects().follow(false).get("/apiStats").then().statusCode(301)
                .header("Location", "/admin-next/api-stats");
        given().redirects().follow(false).get("/admin-next").then().statusCode(301).header("Location", "/admin-next/");
        given().post("/admin-next").then().statusCode(405).body(is("Method Not Allowed"));
    }

    @Test
    void servesTheBuildWithHistoryFallback() {
        for (String page : new String[] {"/admin-next/", "/admin-next/dashboard", "/admin-next/index.html",
                "/admin-next/api-keys/756a6c9c-d8be-4c7a-a2ff-36a7a40debdf/usage-records"}) {
            given().get(page).then().statusCode(200).body(is(INDEX))
                    .header("Cache-Control", "no-cache, no-store, must-revalidate")
                    .header("Content-Type", containsString("text/html"));
        }
        given().get("/admin-next/assets/index-kkHeIq0S.js").then().statusCode(200)
                .header("Cache-Control", "public, max-age=31536000, immutable")
                .header("Content-Type", containsString("application/javascript")).body(is("console.log('spa')"));
        given().get("/admin-next/assets/does-not-exist-0000.js").then().statusCode(404).body(is("Not found"));
        given().get("/admin-next/logo-missing.png").then().statusCode(404);
        given().urlEncodingEnabled(false).get("/admin-next/../package.json").then().statusCode(400)
                .body("error", is("Invalid path"));
        given().post("/admin-next/").then().statusCode(405);
    }
}
