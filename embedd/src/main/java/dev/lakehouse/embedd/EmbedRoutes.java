package dev.lakehouse.embedd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.error.PayloadTooLarge;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.model.EmbedResponse;
import dev.lakehouse.common.model.ModelInfo;
import dev.lakehouse.common.routes.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.InputStream;
import java.util.List;

/**
 * {@code POST /embed} and {@code GET /embed/models}, and the same embeddings in the shapes other clients speak:
 * OpenAI's {@code POST /embeddings} and Ollama's {@code POST /api/embed} ({@link CompatShapes}).
 */
public final class EmbedRoutes {
    /** Below this many texts per chunk a batch is not worth splitting across workers. */
    private static final int MIN_CHUNK = 4;

    private final EmbeddingBackend backend;
    private final WorkerPool pool;
    private final int maxBatch;
    private final int maxChars;
    private final long maxBodyBytes;

    public EmbedRoutes(EmbeddingBackend backend, WorkerPool pool, int maxBatch, int maxChars) {
        this(backend, pool, maxBatch, maxChars, 16L << 20);
    }

    public EmbedRoutes(EmbeddingBackend backend, WorkerPool pool, int maxBatch, int maxChars, long maxBodyBytes) {
        this.backend = backend;
        this.pool = pool;
        this.maxBatch = maxBatch;
        this.maxChars = maxChars;
        this.maxBodyBytes = maxBodyBytes;
    }

    public void install(RoutesConfig r) {
        r.post(Routes.Embed.BASE, this::embed);
        r.get(Routes.Embed.MODELS, ctx -> ctx.json(models()));
        r.post(Routes.Embed.OPENAI, this::openAi);
        r.post(Routes.Embed.OLLAMA, this::ollama);
    }

    private void openAi(Context ctx) throws java.io.IOException {
        CompatShapes.OpenAiRequest req = CompatShapes.openAi(readBody(ctx), backend.info(), maxBatch, maxChars);
        EmbedResponse r = embed(req.texts());
        ctx.json(CompatShapes.openAiResponse(backend.info(), r.vectors(), req.base64(), backend.countTokens(req.texts())));
    }

    private void ollama(Context ctx) throws java.io.IOException {
        long t0 = System.nanoTime();
        List<String> texts = CompatShapes.ollama(readBody(ctx), backend.info(), maxBatch, maxChars);
        EmbedResponse r = embed(texts);
        ctx.json(CompatShapes.ollamaResponse(backend.info(), r.vectors(), System.nanoTime() - t0, backend.countTokens(texts)));
    }

    private volatile io.micrometer.core.instrument.Counter textsCounter;
    private volatile io.micrometer.core.instrument.DistributionSummary batchSizes;

    /** embedd's own metrics: texts embedded, batch sizes, the model served, the pool's load. */
    public void bindMetrics(io.micrometer.core.instrument.MeterRegistry m) {
        ModelInfo info = backend.info();
        io.micrometer.core.instrument.Gauge.builder("embedd_model", () -> 1)
                .description("the model embedd serves").tags("model", info.model(), "backend", info.backend(),
                        "dim", Integer.toString(info.dim())).register(m);
        textsCounter = io.micrometer.core.instrument.Counter.builder("embedd_texts").description("texts embedded").register(m);
        batchSizes = io.micrometer.core.instrument.DistributionSummary.builder("embedd_batch_size")
                .description("texts per embedding request").serviceLevelObjectives(1, 8, 32, 128, 256).register(m);
        io.micrometer.core.instrument.Gauge.builder("embedd_workers_active", pool, WorkerPool::active).description("embedding workers busy").register(m);
        io.micrometer.core.instrument.Gauge.builder("embedd_queue_depth", pool, WorkerPool::queued).description("embedding tasks waiting for a worker").register(m);
    }

    public ModelInfo models() {
        return backend.info();
    }

    /** Embeds validated texts on the worker pool; shared by the HTTP handler and in-process callers (bench). */
    public EmbedResponse embed(List<String> texts) {
        List<float[]> vectors = pool.run(texts, backend.splitAcrossWorkers(), MIN_CHUNK, backend::embed);
        if (textsCounter != null) {
            textsCounter.increment(texts.size());
            batchSizes.record(texts.size());
        }
        ModelInfo info = backend.info();
        return new EmbedResponse(info.model(), info.dim(), vectors);
    }

    private void embed(Context ctx) throws java.io.IOException {
        ctx.json(embed(EmbedInput.texts(readBody(ctx), maxBatch, maxChars)));
    }

    /**
     * The body is parsed into memory, so it is capped: by its declared length before reading (the gateway
     * sends Expect: 100-continue for large bodies), and while reading when it is chunked.
     */
    private JsonNode readBody(Context ctx) throws java.io.IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw tooLarge();
        }
        try (InputStream in = new CappedStream(ctx.bodyInputStream(), maxBodyBytes)) {
            return Json.MAPPER.readTree(in);
        }
    }

    private PayloadTooLarge tooLarge() {
        return new PayloadTooLarge("request body above " + maxBodyBytes + " bytes (http.max_json_body_bytes); send fewer texts per request",
                java.util.Map.of("max_body_bytes", maxBodyBytes));
    }

    /** Fails with 413 once more than {@code cap} bytes have been read. */
    private final class CappedStream extends java.io.FilterInputStream {
        private long left;

        CappedStream(InputStream in, long cap) {
            super(in);
            this.left = cap;
        }

        @Override
        public int read() throws java.io.IOException {
            int b = super.read();
            if (b >= 0 && --left < 0) {
                throw tooLarge();
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws java.io.IOException {
            int n = super.read(buf, off, len);
            if (n > 0 && (left -= n) < 0) {
                throw tooLarge();
            }
            return n;
        }
    }
}
