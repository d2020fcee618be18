package dev.lakehouse.embedd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.model.EmbedResponse;
import dev.lakehouse.common.model.ModelInfo;
import dev.lakehouse.common.routes.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.InputStream;
import java.util.List;

/** {@code POST /embed} and {@code GET /embed/models}. */
public final class EmbedRoutes {
    /** Below this many texts per chunk a batch is not worth splitting across workers. */
    private static final int MIN_CHUNK = 4;

    private final EmbeddingBackend backend;
    private final WorkerPool pool;
    private final int maxBatch;
    private final int maxChars;

    public EmbedRoutes(EmbeddingBackend backend, WorkerPool pool, int maxBatch, int maxChars) {
        this.backend = backend;
        this.pool = pool;
        this.maxBatch = maxBatch;
        this.maxChars = maxChars;
    }

    public void install(RoutesConfig r) {
        r.post(Routes.Embed.BASE, this::embed);
        r.get(Routes.Embed.MODELS, ctx -> ctx.json(models()));
    }

    public ModelInfo models() {
        return backend.info();
    }

    /** Embeds validated texts on the worker pool; shared by the HTTP handler and in-process callers (bench). */
    public EmbedResponse embed(List<String> texts) {
        List<float[]> vectors = pool.run(texts, backend.splitAcrossWorkers(), MIN_CHUNK, backend::embed);
        ModelInfo info = backend.info();
        return new EmbedResponse(info.model(), info.dim(), vectors);
    }

    private void embed(Context ctx) throws java.io.IOException {
        JsonNode body;
        try (InputStream in = ctx.bodyInputStream()) {
            body = Json.MAPPER.readTree(in);
        }
        ctx.json(embed(EmbedInput.texts(body, maxBatch, maxChars)));
    }
}
