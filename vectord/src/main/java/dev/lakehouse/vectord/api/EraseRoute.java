package dev.lakehouse.vectord.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.http.InternalRoutes;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.routes.Routes;
import dev.lakehouse.vectord.filter.FilterParser;
import dev.lakehouse.vectord.store.IndexRegistry;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * vectord's erasure step ({@link Routes.Erasure#VECTORD_ERASE}), called by catalogd's coordinator only:
 * {@code {"ids":[...],"dry_run"?}} or {@code {"filter":…,"dry_run"?}} (the search filter language, ADR 0025: the items
 * it matches when the step runs) → {@code {"index","present":[...],"removed","dry_run"}}.
 */
public final class EraseRoute {
    private final IndexRegistry registry;
    private final java.util.function.BooleanSupplier ready;

    public EraseRoute(IndexRegistry registry, java.util.function.BooleanSupplier ready) {
        this.registry = registry;
        this.ready = ready;
    }

    public void register(RoutesConfig r) {
        r.post(Routes.ERASURE_VECTORD, this::erase);
    }

    private void erase(Context ctx) throws java.io.IOException {
        InternalRoutes.require(ctx);
        if (!ready.getAsBoolean()) { // a 404 before the indexes are loaded would read as "no such index"
            throw new dev.lakehouse.common.error.ServiceUnavailable("vectord is still loading its indexes from storage",
                    dev.lakehouse.common.error.ErrorCodes.NOT_READY, 2);
        }
        String name = ctx.pathParam("name");
        JsonNode body = Json.TOLERANT.readTree(ctx.bodyAsBytes());
        JsonNode ids = body == null ? null : body.get("ids");
        JsonNode filter = body == null ? null : body.get("filter");
        boolean dryRun = body != null && body.path("dry_run").asBoolean(false);
        List<String> present;
        if (filter != null && !filter.isNull() && ids == null) {
            present = registry.erase(name, FilterParser.parse(filter), VectorRoutes.MAX_BATCH, dryRun);
        } else {
            present = registry.erase(name, ids(ids), dryRun);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("index", name);
        out.put("present", present);
        out.put("removed", dryRun ? 0 : present.size());
        out.put("dry_run", dryRun);
        ctx.json(out);
    }

    private static List<String> ids(JsonNode ids) {
        if (ids == null || !ids.isArray() || ids.size() > VectorRoutes.MAX_BATCH) {
            throw new BadRequest("expected {\"ids\": [up to " + VectorRoutes.MAX_BATCH + " item ids]} or {\"filter\": …}");
        }
        List<String> list = new ArrayList<>(ids.size());
        for (JsonNode id : ids) {
            if (!id.isTextual() || id.asText().isEmpty() || id.asText().length() > VectorRoutes.MAX_ID_CHARS) {
                throw new BadRequest("every id must be a string of 1 to " + VectorRoutes.MAX_ID_CHARS + " characters");
            }
            list.add(id.asText());
        }
        return list;
    }
}
