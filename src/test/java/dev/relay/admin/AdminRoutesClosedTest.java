package dev.relay.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.relay.testsupport.RelayTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every admin route this service registers (found by scanning the resource classes, so a new route is walked without
 * editing this test), and paths nobody serves, are closed to a caller without a valid session.
 */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class AdminRoutesClosedTest extends AdminTestBase {
    private static final Set<String> PUBLIC = Set.of("GET /admin/oem-settings");
    private static final Map<Class<? extends Annotation>, String> VERBS = Map.of(GET.class, "GET", POST.class, "POST",
            PUT.class, "PUT", DELETE.class, "DELETE", PATCH.class, "PATCH");

    record Route(String method, String path) {
    }

    static List<Route> adminRoutes() {
        List<Route> routes = new ArrayList<>();
        for (JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.relay.admin")) {
            Class<?> resource = type.reflect();
            Path root = resource.getAnnotation(Path.class);
            if (root == null) {
                continue;
            }
            for (Method method : resource.getDeclaredMethods()) {
                Path sub = method.getAnnotation(Path.class);
                VERBS.forEach((annotation, verb) -> {
                    if (method.isAnnotationPresent(annotation)) {
                        String path = (root.value() + (sub == null ? "" : sub.value())).replaceAll("\\{[^}]+}", "x-1");
                        routes.add(new Route(verb, path));
                    }
                });
            }
        }
        return routes;
    }

    @Test
    void everyAdminRouteIsClosedWithoutASession() {
        List<Route> routes = adminRoutes();
        assertTrue(routes.size() >= 30, "the scan found the admin resources: " + routes);
        int walked = 0;
        for (Route route : routes) {
            if (!route.path().startsWith("/admin") || PUBLIC.contains(route.method() + " " + route.path())) {
                continue;
            }
            given().contentType("application/json").body("{}").request(route.method(), route.path())
                    .then().statusCode(401).body("error", is("Missing admin token"));
            given().header("Authorization", "Bearer " + "ef".repeat(32)).contentType("application/json").body("{}")
                    .request(route.method(), route.path()).then().statusCode(401).body("error", is("Invalid admin token"));
            walked++;
        }
        assertTrue(walked >= 30, "walked " + walked);
    }

    @Test
    void pathsNobodyServesAreClosedToo() {
        for (String path : List.of("/admin", "/admin/", "/admin/nothing-here", "/admin/api-keys/a/b/c/d",
                "/admin/../admin/dashboard", "/admin/webhook/config", "/admin//dashboard", "/admin%2Fcheck-updates",
                "/admin%2fcheck-updates", "/web/../admin/check-updates")) {
            given().urlEncodingEnabled(false).get(path).then().statusCode(401);
        }
        given().delete("/admin/sync/export-accounts").then().statusCode(401);
        // with a session, a path nobody serves is the legacy's 404
        admin().get("/admin/nothing-here").then().statusCode(404).body("error", is("Not Found"));
    }
}
