package dev.relay.admin.system;

import static dev.relay.admin.http.AdminReplies.uni;

import dev.relay.admin.http.AdminReplies;
import dev.relay.store.LegacyClock;
import dev.relay.store.OemSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The system routes of the first screens (§2.17): OEM settings, the update check, the client choices. */
@Path("/admin")
public class SystemResource {
    private final OemSettings oem;
    private final String version;

    public SystemResource(OemSettings oem,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "0.1.0") String version) {
        this.oem = oem;
        this.version = version;
    }

    /** Public (no session): the stored settings over the legacy's defaults; no LDAP here. */
    @GET
    @Path("/oem-settings")
    public Uni<Response> oemSettings() {
        return uni(oem.read().map(stored -> {
            JsonObject data = new JsonObject().put("siteName", "Claude Relay Service").put("siteIcon", "")
                    .put("siteIconData", "").put("showAdminButton", true).put("updatedAt", LegacyClock.iso(Instant.now()));
            data.mergeIn(stored).put("ldapEnabled", false);
            return AdminReplies.data(data);
        })).onFailure().recoverWithItem(e -> AdminReplies.error(500, "Failed to get OEM settings", e.getMessage()));
    }

    /**
     * relay does not call GitHub from an admin page: it reports its own version as the latest, in the shape of the
     * legacy's answer.
     */
    @GET
    @Path("/check-updates")
    public Response checkUpdates() {
        return AdminReplies.data(new JsonObject().put("current", version).put("latest", version)
                .put("hasUpdate", false).putNull("releaseInfo").put("cached", false));
    }

    @GET
    @Path("/supported-clients")
    public Response supportedClients() {
        return AdminReplies.data(new JsonArray()
                .add(client("claude_code", "Claude Code", "Claude Code command-line interface", "\uD83E\uDD16"))
                .add(client("gemini_cli", "Gemini CLI", "Google Gemini API command-line interface", "\uD83D\uDC8E"))
                .add(client("codex_cli", "Codex CLI", "Cursor/Codex command-line interface", "\uD83D\uDD37"))
                .add(client("droid_cli", "Droid CLI", "Factory Droid platform command-line interface", "\uD83E\uDD16")));
    }

    private static JsonObject client(String id, String name, String description, String icon) {
        return new JsonObject().put("id", id).put("name", name).put("description", description).put("icon", icon);
    }
}
