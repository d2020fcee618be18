package dev.lakehouse.embedd;

import dev.lakehouse.common.client.HttpClients;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.model.ModelInfo;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires config → the embedd server: picks the backend ({@code embedd.backend = onnx | ollama}), the worker
 * pool, and the routes.
 */
public final class EmbeddMain {
    private static final Logger log = LoggerFactory.getLogger(EmbeddMain.class);

    private EmbeddMain() {}

    public static void main(String[] args) {
        start(Config.load(args));
    }

    public static ServiceApp start(Config config) {
        EmbeddingBackend backend = backend(config);
        WorkerPool pool = pool(config);
        EmbedRoutes routes = new EmbedRoutes(backend, pool,
                config.integer("embedd.max_batch", 256), config.integer("embedd.max_text_chars", 32_768),
                config.longValue("http.max_json_body_bytes", 16L << 20));
        ModelInfo info = backend.info();
        log.info("embedd backend {} model {} ({}-d), {} workers", info.backend(), info.model(), info.dim(), pool.workers());
        try {
            return ServiceApp.builder(Service.EMBEDD, config)
                    .routes(routes::install)
                    .metrics(routes::bindMetrics)
                    .health(() -> {
                        Map<String, Object> h = new LinkedHashMap<>();
                        h.put("backend", info.backend());
                        h.put("model", info.model());
                        h.put("dim", info.dim());
                        h.put("workers", pool.workers());
                        h.put("active", pool.active());
                        h.put("queued", pool.queued());
                        return h;
                    })
                    .onStop(backend::close)
                    .onStop(pool::close)
                    .start();
        } catch (RuntimeException e) {
            pool.close();
            backend.close();
            throw e;
        }
    }

    public static WorkerPool pool(Config config) {
        int workers = config.integer("embedd.workers", Runtime.getRuntime().availableProcessors());
        return new WorkerPool(workers, config.integer("embedd.queue", workers * 16),
                config.duration("embedd.request_timeout", Duration.ofSeconds(60)));
    }

    /** The configured backend; the in-process ONNX model unless {@code embedd.backend = "ollama"}. */
    public static EmbeddingBackend backend(Config config) {
        String kind = config.string("embedd.backend", "onnx").toLowerCase(Locale.ROOT);
        return switch (kind) {
            case "onnx" -> {
                config.get("embedd.model").filter(m -> !m.equals(OnnxBackend.MODEL)).ifPresent(m -> log.warn(
                        "embedd.model = {} is ignored by the onnx backend (it serves {}); set embedd.backend = ollama to use it",
                        m, OnnxBackend.MODEL));
                config.declare("embedd.ollama_url", "embedd.dim", "embedd.ollama_connect_timeout", "embedd.ollama_timeout",
                        "embedd.ollama_retries", "embedd.ollama_backoff"); // the other backend's: kept, not refused
                DjlCache.configure(config.dataDir());
                yield new OnnxBackend(config.integer("embedd.onnx_threads", 1));
            }
            case "ollama" -> {
                config.declare("embedd.onnx_threads");
                yield new OllamaBackend(
                    config.string("embedd.ollama_url", "http://127.0.0.1:11434"),
                    config.string("embedd.model", "nomic-embed-text"),
                    config.integer("embedd.dim", 768),
                    HttpClients.shared().newBuilder()
                            .connectTimeout(config.duration("embedd.ollama_connect_timeout", Duration.ofSeconds(2)))
                            .readTimeout(config.duration("embedd.ollama_timeout", Duration.ofSeconds(60)))
                            .build(),
                    config.integer("embedd.ollama_retries", 2),
                    config.duration("embedd.ollama_backoff", Duration.ofMillis(200)));
            }
            default -> throw new IllegalArgumentException("embedd.backend must be onnx or ollama, got '" + kind + "'");
        };
    }
}
