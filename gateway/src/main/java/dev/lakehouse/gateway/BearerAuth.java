package dev.lakehouse.gateway;

import dev.lakehouse.common.error.Unauthorized;
import dev.lakehouse.common.routes.Routes;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Optional bearer-token check at the gateway (config {@code token}, env {@code LAKEHOUSE_TOKEN}).
 * When set, every {@code /v1/*} request except {@code /v1/health}, {@code /v1/metrics} (Prometheus scrapes it) and the
 * OpenAPI document needs {@code Authorization: Bearer <token>}. Backends bind loopback and take only the fleet's
 * callers ({@code FleetCredential}), so this is the one public door.
 */
final class BearerAuth {
    private final byte[] expected;

    private BearerAuth(String token) {
        this.expected = token.getBytes(StandardCharsets.UTF_8);
    }

    static Optional<BearerAuth> fromToken(Optional<String> token) {
        return token.map(BearerAuth::new);
    }

    /** The token's identity for the backends (erasure log): a digest prefix, never the token itself. */
    String identity() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(expected);
            return "token:" + java.util.HexFormat.of().formatHex(d).substring(0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /** Whether the request carries the right bearer token (no exception: for routes open to all, like /v1/health). */
    boolean presentsToken(Context ctx) {
        return matches(presented(ctx));
    }

    private static String presented(Context ctx) {
        String header = ctx.header("Authorization");
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    }

    // constant-time comparison: no timing oracle on the token
    private boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
    }

    void check(Context ctx) {
        String path = ctx.path();
        if (!path.startsWith("/v1/") || path.equals(Routes.GATEWAY_HEALTH) || path.equals(Routes.GATEWAY_METRICS)
                || path.equals(Routes.OPENAPI_JSON) || path.equals(Routes.OPENAPI_YAML)) {
            return;
        }
        String presented = presented(ctx);
        if (!matches(presented)) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"lakehouse\"");
            throw new Unauthorized(presented == null ? "missing bearer token" : "invalid bearer token");
        }
    }
}
