package dev.lakehouse.storaged;

import dev.lakehouse.common.StorageLayout;
import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.error.Forbidden;
import io.javalin.http.Context;
import java.util.Map;

/**
 * Who may change a key: anyone the fleet lets in, except that a user's request (one the gateway forwarded,
 * marked {@link FleetCredential#ORIGIN_HEADER}) may not write or delete under a reserved prefix. The owning
 * services reach storaged with the fleet credential and no such mark (ADR 0017). Reads stay open.
 */
final class StorageAccess {
    private StorageAccess() {}

    /** Throws 403 {@code reserved_prefix} if {@code ctx} is a public request changing a reserved key. */
    static void requireWritable(Context ctx, String key) {
        if (!FleetCredential.ORIGIN_PUBLIC.equals(ctx.header(FleetCredential.ORIGIN_HEADER))) {
            return;
        }
        StorageLayout.reservedPrefixOf(key).ifPresent(prefix -> {
            throw new Forbidden("'" + prefix + "' is reserved for the fleet's own state and is read-only through the public API; "
                    + "use the catalog, ingest and vectors routes instead",
                    Map.of("code", "reserved_prefix", "prefix", prefix, "key", key));
        });
    }
}
