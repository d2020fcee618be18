package dev.lakehouse.ingestd.api;

import dev.lakehouse.common.DatasetNames;
import dev.lakehouse.common.idempotency.IdempotencyStore;
import dev.lakehouse.common.routes.Routes;
import dev.lakehouse.ingestd.format.BodyFormat;
import dev.lakehouse.ingestd.format.CsvFormat;
import dev.lakehouse.ingestd.format.StreamedCsv;
import dev.lakehouse.ingestd.format.Phases;
import dev.lakehouse.ingestd.pipeline.Compactor;
import dev.lakehouse.ingestd.pipeline.Ingester;
import dev.lakehouse.ingestd.spool.BodyDecoder;
import dev.lakehouse.ingestd.spool.BodyPipes;
import dev.lakehouse.ingestd.spool.GrowingSpool;
import dev.lakehouse.ingestd.spool.CsvSpool;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;

/**
 * HTTP surface of ingestd: {@code POST /ingest/{dataset}?mode=append|replace} with a CSV (NDJSON, Parquet) body,
 * optionally with an {@code Idempotency-Key} ({@link IdempotentIngests}), and {@code POST /ingest/{dataset}/compact}.
 */
public final class IngestRoutes {
    /** Per phase wall, process CPU and request-thread CPU in ms ({@link Phases}); `just bench ingest` reads it. */
    static final String SERVER_TIMING = "Server-Timing";
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(IngestRoutes.class);
    private final Ingester ingester;
    private final CsvSpool spool;
    private final Formats formats;
    private final Compactor compactor;
    private final IdempotentIngests idempotent;
    private final BodyPipes pipes;
    private final StreamedCsv.Counters streamed;

    public IngestRoutes(Ingester ingester, CsvSpool spool, Formats formats, Compactor compactor, IdempotentIngests idempotent) {
        this(ingester, spool, formats, compactor, idempotent, null, new StreamedCsv.Counters());
    }

    /** {@code pipes} null: every body is spooled whole before its conversion starts. */
    public IngestRoutes(Ingester ingester, CsvSpool spool, Formats formats, Compactor compactor, IdempotentIngests idempotent,
            BodyPipes pipes, StreamedCsv.Counters streamed) {
        this.pipes = pipes;
        this.streamed = streamed;
        this.ingester = ingester;
        this.spool = spool;
        this.formats = formats;
        this.compactor = compactor;
        this.idempotent = idempotent;
    }

    public void register(RoutesConfig r) {
        r.post(Routes.Ingest.DATASET, this::ingest);
        r.post(Routes.Ingest.COMPACT, this::compact);
    }

    private void ingest(Context ctx) throws IOException {
        // everything that can be refused is refused before the body is read (the client may be waiting on 100-continue)
        String dataset = DatasetNames.require(ctx.pathParam("dataset"));
        Ingester.Mode mode = Ingester.mode(ctx.queryParam("mode"));
        BodyFormat format = formats.of(ctx);
        spool.checkDeclared(ctx.contentLength());
        String idempotencyKey = IdempotencyStore.keyOf(ctx.header(IdempotencyStore.HEADER));
        Phases phases = Phases.start();
        MessageDigest digest = IdempotencyStore.sha256();
        // the digest is of the decoded body: a retry sent gzip'd the second time is the same request. Only a keyed
        // ingest needs it (hashing is CPU on the spool's critical path: ADR 0028)
        java.io.InputStream decoded = BodyDecoder.decode(ctx.bodyInputStream(), ctx.header("Content-Encoding"));
        if (idempotencyKey == null && pipes != null && pipes.mayStream(ctx.contentLength()) && format instanceof CsvFormat csvFormat) {
            streamedIngest(ctx, dataset, mode, csvFormat, decoded, phases);
            return;
        }
        Path csv = spool.spool(idempotencyKey == null ? decoded : new DigestInputStream(decoded, digest));
        phases.end("spool");
        log.info("spooled {} B for {}", Files.size(csv), dataset);
        try {
            if (idempotencyKey != null) {
                IdempotentIngests.Answer a = idempotent.ingest(dataset, mode, format, csv, idempotencyKey,
                        IdempotentIngests.requestHash(dataset, mode, ctx.queryString(), ctx.contentType(), digest.digest()), phases);
                ctx.header(SERVER_TIMING, phases.serverTiming());
                if (a.replayed()) {
                    ctx.header(IdempotencyStore.REPLAYED_HEADER, "true");
                }
                ctx.status(a.status()).json(a.manifest());
                return;
            }
            Ingester.Result result = ingester.ingest(dataset, mode, format, csv, phases);
            ctx.header(SERVER_TIMING, phases.serverTiming());
            ctx.status(result.registration().created() ? 201 : 200).json(Formats.answer(result));
            compactor.afterIngest(result.registration().manifest());
        } finally {
            Files.deleteIfExists(csv);
        }
    }

    /**
     * A CSV body without an Idempotency-Key (whose hash needs the whole body first): spooled on its own thread while
     * the ingest plans, sniffs the prefix and converts from a pipe ({@link StreamedCsv}). The body is read to its
     * end whatever happens, as before, and the spool's failure (413, corrupt, the client gone) is the answer.
     */
    private void streamedIngest(Context ctx, String dataset, Ingester.Mode mode, CsvFormat format, java.io.InputStream decoded,
            Phases phases) throws IOException {
        try (GrowingSpool body = spool.start(decoded, ctx.contentLength(), pipes.threads())) {
            Ingester.Result result;
            try {
                result = ingester.ingest(dataset, mode, new StreamedCsv(format, body, pipes, streamed), body.file(), phases);
            } catch (IOException | RuntimeException e) {
                try {
                    body.awaitComplete();
                } catch (IOException | RuntimeException spoolFailure) {
                    if (spoolFailure != e) {
                        spoolFailure.addSuppressed(e);
                        throw spoolFailure;
                    }
                }
                throw e;
            }
            log.info("spooled {} B for {} while converting", Files.size(body.file()), dataset);
            ctx.header(SERVER_TIMING, phases.serverTiming());
            ctx.status(result.registration().created() ? 201 : 200).json(Formats.answer(result));
            compactor.afterIngest(result.registration().manifest());
        }
    }

    private void compact(Context ctx) throws IOException {
        Compactor.Outcome o = compactor.compact(DatasetNames.require(ctx.pathParam("dataset")));
        java.util.Map<String, Object> body = Formats.compacted(o);
        ctx.status(o.registration() != null && o.registration().created() ? 201 : 200).json(body);
    }
}
