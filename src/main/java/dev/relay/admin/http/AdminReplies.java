package dev.relay.admin.http;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The legacy admin answers' shapes (admin-and-postgres.md §2.0): no common envelope, so each handler says what it
 * answers; these build the recurring ones. Every answer is JSON with {@code charset=utf-8}, as Express sends it.
 */
public final class AdminReplies {
    private static final String JSON = MediaType.APPLICATION_JSON + "; charset=utf-8";

    private AdminReplies() {
    }

    public static Response json(int status, JsonObject body) {
        return Response.status(status).type(JSON).entity(body.encode()).build();
    }

    public static Response ok(JsonObject body) {
        return json(200, body);
    }

    /** {@code {success:true, data}}. */
    public static Response data(Object data) {
        return ok(new JsonObject().put("success", true).put("data", data));
    }

    /** {@code {success:true, message}}. */
    public static Response message(String message) {
        return ok(new JsonObject().put("success", true).put("message", message));
    }

    /** Shape {@code E}: {@code {error, message}}. */
    public static Response error(int status, String error, String message) {
        return json(status, new JsonObject().put("error", error).put("message", message));
    }

    /** {@code {error}} alone, the validation answer of many legacy routes. */
    public static Response errorOnly(int status, String error) {
        return json(status, new JsonObject().put("error", error));
    }

    /** Shape {@code Es}: {@code {success:false, error, message?}}. */
    public static Response failure(int status, String error, String message) {
        JsonObject body = new JsonObject().put("success", false).put("error", error);
        if (message != null) {
            body.put("message", message);
        }
        return json(status, body);
    }

    /** A Vert.x future as the Uni a resource method returns. */
    public static <T> Uni<T> uni(Future<T> future) {
        return Uni.createFrom().completionStage(future::toCompletionStage);
    }

    public static JsonArray array(Iterable<?> items) {
        JsonArray array = new JsonArray();
        items.forEach(array::add);
        return array;
    }
}
