package dev.lakehouse.common.http;

import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.error.Forbidden;
import io.javalin.http.Context;
import java.util.Map;

/**
 * Routes one service calls on another (erasure steps) that a user must not reach even where the gateway mounts the
 * backend's whole path space: the gateway marks what it forwards with {@link FleetCredential#ORIGIN_HEADER}.
 */
public final class InternalRoutes {
    private InternalRoutes() {}

    public static void require(Context ctx) {
        if (FleetCredential.ORIGIN_PUBLIC.equals(ctx.header(FleetCredential.ORIGIN_HEADER))) {
            throw new Forbidden(ctx.path() + " is a fleet-internal step; use POST /v1/erasure",
                    Map.of("code", ErrorCodes.INTERNAL_ROUTE));
        }
    }
}
