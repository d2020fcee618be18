package dev.lakehouse.ingestd;

import dev.lakehouse.common.DatasetNames;
import dev.lakehouse.common.routes.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * HTTP surface of ingestd: {@code POST /ingest/{dataset}?mode=append|replace} with a CSV (NDJSON, Parquet) body,
 * {@code POST /ingest/{dataset}/compact}.
 */
final class IngestRoutes {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(IngestRoutes.class);
    private final Ingester ingester;
    private final CsvSpool spool;
    private final Formats formats;
    private final Compactor compactor;

    IngestRoutes(Ingester ingester, CsvSpool spool, Formats formats, Compactor compactor) {
        this.ingester = ingester;
        this.spool = spool;
        this.formats = formats;
        this.compactor = compactor;
    }

    void register(RoutesConfig r) {
        r.post(Routes.Ingest.DATASET, this::ingest);
        r.post(Routes.Ingest.COMPACT, this::compact);
    }

    private void ingest(Context ctx) throws IOException {
        // everything that can be refused is refused before the body is read (the client may be waiting on 100-continue)
        String dataset = DatasetNames.require(ctx.pathParam("dataset"));
        Ingester.Mode mode = Ingester.mode(ctx.queryParam("mode"));
        BodyFormat format = formats.of(ctx);
        spool.checkDeclared(ctx.contentLength());
        long t0 = System.nanoTime();
        Path csv = spool.spool(BodyDecoder.decode(ctx.bodyInputStream(), ctx.header("Content-Encoding")));
        log.info("spooled {} B for {} in {} ms", Files.size(csv), dataset, (System.nanoTime() - t0) / 1_000_000);
        try {
            Ingester.Result result = ingester.ingest(dataset, mode, format, csv);
            ctx.status(result.registration().created() ? 201 : 200).json(Formats.answer(result));
            compactor.afterIngest(result.registration().manifest());
        } finally {
            Files.deleteIfExists(csv);
        }
    }

    private void compact(Context ctx) throws IOException {
        Compactor.Outcome o = compactor.compact(DatasetNames.require(ctx.pathParam("dataset")));
        java.util.Map<String, Object> body = Formats.compacted(o);
        ctx.status(o.registration() != null && o.registration().created() ? 201 : 200).json(body);
    }
}
