package dev.lakehouse.queryd.erasure;

import dev.lakehouse.common.DatasetNames;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.http.InternalRoutes;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.model.FileEntry;
import dev.lakehouse.common.routes.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Map;

/**
 * queryd's erasure steps ({@link Routes.Erasure}), called by catalogd's coordinator only: the gateway does not mount
 * them, and a request it forwarded is refused anyway ({@link InternalRoutes}).
 */
public final class ErasureRoutes {
    /** What catalogd sends: one file of a dataset, the user's predicate, and for a rewrite where the result goes. */
    record FileStep(String dataset, FileEntry file, String predicate, String targetKey) {}

    private final FileEraser eraser;

    public ErasureRoutes(FileEraser eraser) {
        this.eraser = eraser;
    }

    public void register(RoutesConfig r) {
        r.post(Routes.ERASURE_QUERYD_COUNT, ctx -> {
            FileStep s = step(ctx, false);
            ctx.json(Map.of("key", s.file().key(), "matching", eraser.count(s.dataset(), s.file(), s.predicate())));
        });
        r.post(Routes.ERASURE_QUERYD_REWRITE, ctx -> {
            FileStep s = step(ctx, true);
            ctx.json(eraser.rewrite(s.dataset(), s.file(), s.predicate(), s.targetKey()));
        });
        r.post(Routes.ERASURE_QUERYD_EVICT, ctx -> {
            InternalRoutes.require(ctx);
            String dataset = Json.TOLERANT.readTree(ctx.bodyAsBytes()).path("dataset").asText("");
            DatasetNames.require(dataset);
            eraser.evict(dataset);
            ctx.json(Map.of("dataset", dataset, "evicted", true));
        });
    }

    private static FileStep step(Context ctx, boolean rewrite) throws IOException {
        InternalRoutes.require(ctx);
        FileStep s = Json.TOLERANT.readValue(ctx.bodyAsBytes(), FileStep.class);
        if (s == null || s.file() == null || s.file().key() == null) {
            throw new BadRequest("expected {dataset, file, predicate" + (rewrite ? ", target_key" : "") + "}");
        }
        DatasetNames.require(s.dataset());
        if (rewrite && (s.targetKey() == null || !s.targetKey().startsWith("datasets/" + s.dataset() + "/"))) {
            throw new BadRequest("target_key must lie under datasets/" + s.dataset() + "/");
        }
        return s;
    }
}
