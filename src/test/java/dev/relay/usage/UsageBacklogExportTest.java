package dev.relay.usage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import dev.relay.testsupport.RelayTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The running gateway opens its usage spool at start (relay.usage.spool-dir) and exports the backlog gauge. */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class UsageBacklogExportTest {

    @Test
    void theSpoolIsOpenAndTheBacklogExported() {
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString(UsageWriteMetrics.PENDING + " "));
        // %test.relay.usage.spool-dir: the process takes its lock there at start, without waiting for a request
        UsageRig.eventually(() -> hasLock(Path.of("target", "usage-spool")), "spool lock taken");
    }

    private static boolean hasLock(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".lock"));
        } catch (IOException e) {
            return false;
        }
    }
}
