package dev.lakehouse.embedd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakehouse.common.json.Json;
import io.javalin.Javalin;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP server speaking Ollama's {@code POST /api/embed} wire format, as documented in Ollama's
 * docs/api.md: request {@code {"model","input": string | [string], "truncate"?, "options"?, "keep_alive"?}},
 * answer {@code {"model","embeddings":[[...]],"total_duration","load_duration","prompt_eval_count"}}; an
 * unknown model is 404 {@code {"error":"model \"x\" not found, try pulling it first"}}; a bad body is 400
 * {@code {"error":...}}. Ollama cannot run on this machine, so the real client is tested against this.
 */
final class FakeOllama implements AutoCloseable {
    final Set<String> models;
    final int dim;
    final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger fail5xx = new AtomicInteger();
    volatile long delayMs;
    volatile int answerDim;
    private final Javalin app;

    FakeOllama(Set<String> models, int dim) {
        this.models = models;
        this.dim = dim;
        this.answerDim = dim;
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.host = "127.0.0.1";
            cfg.jetty.port = 0;
            cfg.routes.post("/api/embed", ctx -> {
                JsonNode body;
                try {
                    body = Json.MAPPER.readTree(ctx.body());
                } catch (Exception e) {
                    ctx.status(400).contentType("application/json").result("{\"error\":\"invalid character in JSON\"}");
                    return;
                }
                requests.add(body);
                if (delayMs > 0) {
                    Thread.sleep(delayMs);
                }
                if (fail5xx.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    ctx.status(500).contentType("application/json").result("{\"error\":\"llama runner process has terminated\"}");
                    return;
                }
                String model = body.path("model").asText("");
                if (model.isEmpty()) {
                    ctx.status(400).contentType("application/json").result("{\"error\":\"model is required\"}");
                    return;
                }
                if (!models.contains(model)) {
                    ctx.status(404).contentType("application/json")
                            .result("{\"error\":\"model \\\"" + model + "\\\" not found, try pulling it first\"}");
                    return;
                }
                JsonNode input = body.get("input");
                ObjectNode out = Json.MAPPER.createObjectNode();
                out.put("model", model);
                ArrayNode embeddings = out.putArray("embeddings");
                if (input != null && input.isTextual()) {
                    embeddings.add(vector(input.asText(), answerDim));
                } else if (input != null && input.isArray()) {
                    input.forEach(t -> embeddings.add(vector(t.asText(), answerDim)));
                }
                out.put("total_duration", 14143917L);
                out.put("load_duration", 1019500L);
                out.put("prompt_eval_count", 8);
                ctx.contentType("application/json").result(Json.MAPPER.writeValueAsBytes(out));
            });
        }).start();
    }

    String url() {
        return "http://127.0.0.1:" + app.port();
    }

    /** The deterministic vector this server gives a text (first component encodes the text's hash). */
    static ArrayNode vector(String text, int dim) {
        ArrayNode v = Json.MAPPER.createArrayNode();
        for (int i = 0; i < dim; i++) {
            v.add(expected(text, i));
        }
        return v;
    }

    static float expected(String text, int i) {
        return (float) Math.sin(text.hashCode() * 0.001 + i);
    }

    @Override
    public void close() {
        app.stop();
    }
}
