package dev.relay.store;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One Lua script from {@code src/main/resources/lua/}, read once. {@link #call} sends {@code EVALSHA} and falls back
 * to {@code EVAL} on {@code NOSCRIPT}, so a Redis restart or {@code SCRIPT FLUSH} is survived; EVAL also caches the
 * script again for the next EVALSHA.
 */
public final class LuaScript {
    private final String name;
    private final String source;
    private final String sha1;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha1 = sha1Hex(source);
    }

    /** Reads {@code lua/<fileName>} from the classpath. */
    public static LuaScript fromClasspath(String fileName) {
        String path = "lua/" + fileName;
        try (InputStream in = LuaScript.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Lua script not on the classpath: " + path);
            }
            return new LuaScript(fileName, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path, e);
        }
    }

    public String name() {
        return name;
    }

    public String source() {
        return source;
    }

    /** Lower-case hex SHA1 of the source, the id Redis gives the script. */
    public String sha1() {
        return sha1;
    }

    /** One round trip: EVALSHA, or EVAL if Redis no longer knows the script. */
    public Future<Response> call(RedisStore store, List<String> keys, List<String> args) {
        return store.send(evalShaRequest(keys, args))
                .recover(error -> isNoScript(error)
                        ? store.send(evalRequest(keys, args))
                        : Future.failedFuture(error));
    }

    /**
     * A full {@code EVAL} request, for use inside {@link RedisStore#batch}: a pipeline cannot retry a single
     * {@code NOSCRIPT} answer, so batched calls always carry the source.
     */
    public Request evalRequest(List<String> keys, List<String> args) {
        return withKeysAndArgs(Request.cmd(Command.EVAL).arg(source), keys, args);
    }

    Request evalShaRequest(List<String> keys, List<String> args) {
        return withKeysAndArgs(Request.cmd(Command.EVALSHA).arg(sha1), keys, args);
    }

    private static Request withKeysAndArgs(Request request, List<String> keys, List<String> args) {
        request.arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        return request;
    }

    public static boolean isNoScript(Throwable error) {
        String message = error.getMessage();
        return message != null && message.startsWith("NOSCRIPT");
    }

    private static String sha1Hex(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
