package dev.lakehouse.ingestd;

import dev.lakehouse.common.json.Json;
import io.javalin.http.Context;
import java.util.Map;

/** Picks a request's {@link BodyFormat} from its Content-Type and query parameters; shapes the 201 body. */
final class Formats {
    private final DuckCsv duck;

    Formats(DuckCsv duck) {
        this.duck = duck;
    }

    /** The body's format; 400 on a bad dialect parameter (before the body is read). */
    BodyFormat of(Context ctx) {
        return new CsvFormat(duck, CsvDialect.Overrides.fromQuery(ctx::queryParam, ctx.queryParams("type")));
    }

    /** The manifest, plus how the body was read ({@code format}, and a CSV's {@code dialect}). */
    static Map<String, Object> answer(Ingester.Result result) {
        @SuppressWarnings("unchecked")
        Map<String, Object> body = Json.MAPPER.convertValue(result.registration().manifest(), Map.class);
        body.putAll(result.source());
        return body;
    }
}
