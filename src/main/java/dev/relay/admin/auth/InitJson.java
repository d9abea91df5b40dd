package dev.relay.admin.auth;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The legacy's {@code data/init.json} ({@code {initializedAt, adminUsername, adminPassword, version}}), the source
 * the admin credentials are reloaded from when {@code session:admin_credentials} is gone, and which a password change
 * rewrites. The password is in plain text there, as the legacy keeps it; the file is written owner-only. Blocking
 * file I/O: call from a worker thread.
 */
final class InitJson {
    record Content(String adminUsername, String adminPassword, String initializedAt) {
    }

    private final Path file;

    InitJson(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    Optional<Content> read() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonObject json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
            String username = json.getString("adminUsername");
            String password = json.getString("adminPassword");
            if (username == null || password == null) {
                return Optional.empty();
            }
            return Optional.of(new Content(username, password, json.getString("initializedAt", "")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rewrites the login and {@code updatedAt}, keeping the file's other fields (written to a temp file, then moved). */
    void update(String username, String password, String updatedAt) {
        try {
            JsonObject json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
            json.put("adminUsername", username).put("adminPassword", password).put("updatedAt", updatedAt);
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temp, json.encodePrettily(), StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // keep the platform default
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
