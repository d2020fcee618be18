package dev.lakehouse.ingestd.api;

import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.ingestd.csv.CsvDialect;
import dev.lakehouse.ingestd.csv.DuckCsv;
import dev.lakehouse.ingestd.format.BodyFormat;
import dev.lakehouse.ingestd.format.CsvFormat;
import dev.lakehouse.ingestd.format.JsonLinesFormat;
import dev.lakehouse.ingestd.format.ParquetFormat;
import dev.lakehouse.ingestd.pipeline.Compactor;
import dev.lakehouse.ingestd.pipeline.Ingester;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Map;

/** Picks a request's {@link BodyFormat} from its Content-Type and query parameters; shapes the 201 body. */
public final class Formats {
    private final DuckCsv duck;

    public Formats(DuckCsv duck) {
        this.duck = duck;
    }

    /**
     * The body's format by Content-Type: {@code application/x-ndjson} (or jsonl), {@code application/vnd.apache.parquet}
     * (or x-parquet), anything else CSV. 400 on a bad dialect parameter, or one given with a non-CSV body (before
     * the body is read); NDJSON takes {@code type=} (declared column types) as CSV does.
     */
    BodyFormat of(Context ctx) {
        CsvDialect.Overrides overrides = CsvDialect.Overrides.fromQuery(ctx::queryParam, ctx.queryParams("type"));
        String type = ctx.contentType() == null ? "" : ctx.contentType().split(";")[0].trim().toLowerCase(Locale.ROOT);
        boolean ndjson = switch (type) {
            case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines" -> true;
            default -> false;
        };
        boolean parquet = type.equals("application/vnd.apache.parquet") || type.equals("application/x-parquet");
        if (!ndjson && !parquet) {
            return new CsvFormat(duck, overrides);
        }
        if (ndjson && overrides.onlyTypes()) {
            return new JsonLinesFormat(duck, overrides.types());
        }
        if (parquet && overrides.equals(CsvDialect.Overrides.NONE)) {
            return new ParquetFormat(duck);
        }
        throw new BadRequest("CSV dialect parameters do not apply to a " + type + " body"
                + (ndjson ? " (NDJSON takes type=name:TYPE)" : ""), Map.of("code", "bad_parameter"));
    }

    /** The manifest, plus how the body was read ({@code format}, and a CSV's {@code dialect}). */
    static Map<String, Object> answer(Ingester.Result result) {
        @SuppressWarnings("unchecked")
        Map<String, Object> body = Json.MAPPER.convertValue(result.registration().manifest(), Map.class);
        body.putAll(result.source());
        return body;
    }

    /** The compacted (or unchanged) manifest, plus {@code compaction: {files_before, files_after}}. */
    static Map<String, Object> compacted(Compactor.Outcome o) {
        @SuppressWarnings("unchecked")
        Map<String, Object> body = Json.MAPPER.convertValue(o.manifest(), Map.class);
        body.put("compaction", Map.of("files_before", o.filesBefore(), "files_after", o.filesAfter()));
        return body;
    }
}
