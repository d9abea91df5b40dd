package dev.relay.admin.spa;

import dev.relay.config.RelayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The legacy's static routes (admin-and-postgres.md §3.2; fixture 24): the redirects to the statistics page, and the
 * dashboard build the operator points {@code RELAY_ADMIN_SPA_DIR} at, served at {@code /admin-next/} with history
 * fallback to {@code index.html}, long-lived caching of assets and none of the page. Files are sent by Vert.x without
 * blocking the event loop.
 */
@Singleton
public class SpaRoutes {
    static final String BASE = "/admin-next";
    private static final Set<String> ASSET_ENDINGS = Set.of(".js", ".css", ".png", ".jpg", ".jpeg", ".gif", ".svg",
            ".ico", ".woff", ".woff2", ".ttf");
    private static final String NO_CACHE = "no-cache, no-store, must-revalidate";

    private final Optional<Path> dir;
    private final Vertx vertx;

    public SpaRoutes(RelayConfig config, Vertx vertx) {
        this.dir = config.admin().spaDir().filter(d -> !d.isBlank()).map(d -> Path.of(d).toAbsolutePath().normalize());
        this.vertx = vertx;
    }

    void register(@Observes Router router) {
        router.get("/").handler(ctx -> redirect(ctx, 302, "Found"));
        router.get("/web").handler(ctx -> redirect(ctx, 301, "Moved Permanently"));
        router.get("/web/").handler(ctx -> redirect(ctx, 301, "Moved Permanently"));
        router.get("/apiStats").handler(ctx -> redirect(ctx, 301, "Moved Permanently"));
        // before the router normalises "/admin-next/../x" into "/x": the legacy refuses such paths
        router.route().order(-1).handler(this::checkPath);
        router.route(BASE).handler(this::base);
        router.route(BASE + "/*").handler(this::serve);
    }

    private void checkPath(RoutingContext ctx) {
        String raw = ctx.request().path();
        if (raw != null && raw.startsWith(BASE + "/") && (raw.contains("..") || raw.contains("\\"))) {
            ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json; charset=utf-8")
                    .end("{\"error\":\"Invalid path\"}");
            return;
        }
        ctx.next();
    }

    private void base(RoutingContext ctx) {
        // Vert.x matches "/admin-next/" here too: that one is the page
        if (dir.isEmpty() || ctx.normalizedPath().endsWith("/")) {
            ctx.next();
            return;
        }
        if (!readMethod(ctx)) {
            text(ctx, 405, "Method Not Allowed");
            return;
        }
        ctx.response().setStatusCode(301).putHeader("Location", BASE + "/")
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .end("<p>Moved Permanently. Redirecting to " + BASE + "/</p>");
    }

    private void serve(RoutingContext ctx) {
        if (dir.isEmpty()) {
            if (ctx.normalizedPath().equals(BASE + "/")) {
                text(ctx, 404, "index.html not found");
            } else {
                ctx.next();
            }
            return;
        }
        if (!readMethod(ctx)) {
            text(ctx, 405, "Method Not Allowed");
            return;
        }
        String rest = ctx.normalizedPath().substring(BASE.length() + 1);
        Path file = dir.get().resolve(rest).normalize();
        if (rest.isEmpty() || !file.startsWith(dir.get())) {
            index(ctx);
            return;
        }
        vertx.fileSystem().props(file.toString()).onComplete(props -> {
            if (props.succeeded() && props.result().isRegularFile()) {
                send(ctx, file, cacheFor(file));
            } else if (isAsset(rest)) {
                text(ctx, 404, "Not found");
            } else {
                index(ctx);
            }
        });
    }

    private void index(RoutingContext ctx) {
        Path index = dir.get().resolve("index.html");
        vertx.fileSystem().exists(index.toString()).onComplete(exists -> {
            if (exists.succeeded() && exists.result()) {
                send(ctx, index, NO_CACHE);
            } else {
                text(ctx, 404, "index.html not found");
            }
        });
    }

    private static void send(RoutingContext ctx, Path file, String cacheControl) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String type = name.endsWith(".html") ? "text/html; charset=UTF-8"
                : name.endsWith(".js") ? "application/javascript; charset=UTF-8"
                : name.endsWith(".css") ? "text/css; charset=UTF-8" : null;
        if (type != null) {
            ctx.response().putHeader("Content-Type", type);
        }
        ctx.response().putHeader("Cache-Control", cacheControl);
        if (ctx.request().method() == HttpMethod.HEAD) {
            ctx.response().end();
        } else {
            ctx.response().sendFile(file.toString());
        }
    }

    private static String cacheFor(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".js") || name.endsWith(".css") ? "public, max-age=31536000, immutable" : NO_CACHE;
    }

    private static boolean isAsset(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return ASSET_ENDINGS.stream().anyMatch(lower::endsWith);
    }

    private static boolean readMethod(RoutingContext ctx) {
        return ctx.request().method() == HttpMethod.GET || ctx.request().method() == HttpMethod.HEAD;
    }

    private static void redirect(RoutingContext ctx, int status, String phrase) {
        ctx.response().setStatusCode(status).putHeader("Location", BASE + "/api-stats")
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .end("<p>" + phrase + ". Redirecting to " + BASE + "/api-stats</p>");
    }

    private static void text(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8").end(body);
    }
}
