package dev.lakehouse.catalogd;

import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.idempotency.IdempotencyStore;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.model.DatasetList;
import dev.lakehouse.common.model.FailedDataset;
import dev.lakehouse.common.model.RegisterRequest;
import dev.lakehouse.common.model.Registration;
import dev.lakehouse.common.routes.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;

/** HTTP surface of catalogd ({@link Routes.Catalog}); all decisions live in {@link Catalog}. */
final class CatalogRoutes {
    private final Catalog catalog;
    private final IdempotentRegistrations idempotent;

    CatalogRoutes(Catalog catalog, IdempotentRegistrations idempotent) {
        this.catalog = catalog;
        this.idempotent = idempotent;
    }

    void register(RoutesConfig r) {
        r.get(Routes.Catalog.DATASETS, ctx -> ctx.json(new DatasetList(catalog.list(), catalog.failed().entrySet().stream()
                .map(e -> new FailedDataset(e.getKey(), e.getValue())).toList())));
        r.get(Routes.Catalog.DATASET, ctx -> ctx.json(catalog.latest(ctx.pathParam("name"))));
        r.get(Routes.Catalog.VERSION, ctx -> ctx.json(catalog.version(ctx.pathParam("name"), version(ctx))));
        r.delete(Routes.Catalog.DATASET, ctx -> ctx.json(catalog.delete(ctx.pathParam("name"))));
        r.post(Routes.Catalog.MANIFESTS, this::registerManifest);
        r.get(Routes.Catalog.FILES, ctx -> {
            String name = ctx.pathParam("name");
            String key = ctx.queryParam("key");
            int first = catalog.firstVersionReferencing(name, key);
            ctx.json(java.util.Map.of("dataset", name, "key", key, "referenced", true, "first_version", first));
        });
        r.get(Routes.Catalog.VERSIONS, this::versions);
    }

    /** {@code ?after=V&limit=N}: the versions after V, oldest first, at most N (default 100, at most 1000). */
    private void versions(Context ctx) {
        int after = intParam(ctx, "after", 0, 0, Integer.MAX_VALUE);
        int limit = intParam(ctx, "limit", 100, 1, 1000);
        ctx.json(catalog.versions(ctx.pathParam("name"), after, limit));
    }

    private static int intParam(Context ctx, String name, int dflt, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the error below
        }
        throw new BadRequest(name + " must be a whole number from " + min + " to " + max + ", got '" + v + "'");
    }

    private void registerManifest(Context ctx) throws IOException {
        String key = IdempotencyStore.keyOf(ctx.header(IdempotencyStore.HEADER));
        RegisterRequest req = Json.MAPPER.readValue(ctx.bodyInputStream(), RegisterRequest.class);
        Registration reg;
        if (key == null) {
            reg = catalog.register(ctx.pathParam("name"), req);
        } else {
            IdempotentRegistrations.Answer a = idempotent.register(ctx.pathParam("name"), req, key);
            if (a.replayed()) {
                ctx.header(IdempotencyStore.REPLAYED_HEADER, "true");
            }
            reg = a.registration();
        }
        ctx.status(reg.created() ? 201 : 200).json(reg.manifest());
    }

    private static int version(Context ctx) {
        String v = ctx.pathParam("version");
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new BadRequest("version must be a positive integer, got '" + v + "'");
        }
    }
}
