package dev.lakehouse.common.http;

import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.error.Unauthorized;
import dev.lakehouse.common.routes.Routes;
import io.javalin.http.Context;
import java.util.Map;

/**
 * A backend's door: every request but {@code /health} and {@code /metrics} must carry the fleet-internal
 * credential, so a process on the host cannot bypass the gateway (its bearer token, its limits) by calling a
 * backend's port.
 */
final class FleetAuth {
    static final String METRICS = "/metrics";

    private final FleetCredential credential;

    FleetAuth(FleetCredential credential) {
        this.credential = credential;
    }

    void check(Context ctx) {
        String path = ctx.path();
        if (path.equals(Routes.HEALTH) || path.equals(METRICS)) {
            return;
        }
        String presented = ctx.header(FleetCredential.HEADER);
        if (!credential.accepts(presented)) {
            throw new Unauthorized(presented == null ? "this backend takes requests from the fleet only: missing "
                    + FleetCredential.HEADER + " (call it through the gateway)" : "invalid " + FleetCredential.HEADER,
                    Map.of("code", "fleet_credential_required"));
        }
    }
}
