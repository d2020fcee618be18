package dev.lakehouse.catalogd.erasure;

import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.error.NotFound;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.routes.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** catalogd's erasure API ({@link Routes.Erasure}; public as {@code /v1/erasure}). Decisions live in {@link Eraser}. */
public final class ErasureRoutes {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern CURSOR = Pattern.compile("\\d{13}-[0-9a-f-]{36}\\.json");

    private final Eraser eraser;

    public ErasureRoutes(Eraser eraser) {
        this.eraser = eraser;
    }

    public void register(RoutesConfig r) {
        r.post(Routes.Erasure.BASE, this::post);
        r.get(Routes.Erasure.LOG, this::log);
        r.get(Routes.Erasure.ONE, ctx -> {
            String id = ctx.pathParam("id");
            ctx.json((ID.matcher(id).matches() ? eraser.status(id) : java.util.Optional.<Map<String, Object>>empty())
                    .orElseThrow(() -> new NotFound("no erasure '" + id + "'",
                            Map.of("code", ErrorCodes.ERASURE_NOT_FOUND, "erasure_id", id))));
        });
    }

    private void post(Context ctx) throws IOException {
        byte[] raw = ctx.bodyAsBytes();
        if (raw.length == 0) {
            throw new BadRequest("request body is empty; expected {\"subject\", \"datasets\"?, \"vectors\"?, \"dry_run\"?}");
        }
        ErasureRequest req = Json.MAPPER.readValue(raw, ErasureRequest.class);
        if (req == null) {
            throw new BadRequest("request body is null; expected a JSON object");
        }
        ErasureRequest.Valid valid = req.validate();
        if (valid.dryRun()) {
            ctx.json(eraser.dryRun(valid));
            return;
        }
        String who = ctx.header(dev.lakehouse.common.auth.FleetCredential.PRINCIPAL_HEADER);
        ErasureIntent in = eraser.start(valid, who == null || who.isBlank() ? "anonymous" : who);
        ctx.status(202).json(eraser.status(in.id).orElseThrow());
    }

    private void log(Context ctx) {
        String after = ctx.queryParam("after");
        if (after != null && !CURSOR.matcher(after).matches()) {
            throw new BadRequest("after must be the cursor of a log entry");
        }
        int limit = 100;
        String l = ctx.queryParam("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 1000) {
                throw new BadRequest("limit must be a whole number from 1 to 1000");
            }
        }
        List<Map<String, Object>> entries = eraser.log(after, limit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("entries", entries);
        if (entries.size() == limit) {
            out.put("next_after", entries.get(entries.size() - 1).get("cursor"));
        }
        ctx.json(out);
    }
}
