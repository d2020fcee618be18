package dev.lakehouse.embedd;

import dev.lakehouse.common.client.HttpClients;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.FleetKeys;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.model.ModelInfo;
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
                config.get(EmbeddKeys.MAX_BATCH), config.get(EmbeddKeys.MAX_TEXT_CHARS),
                config.get(FleetKeys.HTTP_MAX_JSON_BODY_BYTES));
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
        int workers = config.get(EmbeddKeys.WORKERS, Runtime.getRuntime().availableProcessors());
        return new WorkerPool(workers, config.get(EmbeddKeys.QUEUE, workers * 16),
                config.get(EmbeddKeys.REQUEST_TIMEOUT));
    }

    /** The configured backend; the in-process ONNX model unless {@code embedd.backend = "ollama"}. */
    public static EmbeddingBackend backend(Config config) {
        String kind = config.get(EmbeddKeys.BACKEND).toLowerCase(Locale.ROOT);
        return switch (kind) {
            case "onnx" -> {
                config.find(EmbeddKeys.MODEL).filter(m -> !m.equals(OnnxBackend.MODEL)).ifPresent(m -> log.warn(
                        "embedd.model = {} is ignored by the onnx backend (it serves {}); set embedd.backend = ollama to use it",
                        m, OnnxBackend.MODEL));
                config.declare(EmbeddKeys.OLLAMA_URL, EmbeddKeys.DIM, EmbeddKeys.OLLAMA_CONNECT_TIMEOUT,
                        EmbeddKeys.OLLAMA_TIMEOUT, EmbeddKeys.OLLAMA_RETRIES, EmbeddKeys.OLLAMA_BACKOFF); // the other backend's: kept, not refused
                DjlCache.configure(config.dataDir());
                yield new OnnxBackend(config.get(EmbeddKeys.ONNX_THREADS));
            }
            case "ollama" -> {
                config.declare(EmbeddKeys.ONNX_THREADS);
                yield new OllamaBackend(
                    config.get(EmbeddKeys.OLLAMA_URL),
                    config.get(EmbeddKeys.MODEL),
                    config.get(EmbeddKeys.DIM),
                    HttpClients.shared().newBuilder()
                            .connectTimeout(config.get(EmbeddKeys.OLLAMA_CONNECT_TIMEOUT))
                            .readTimeout(config.get(EmbeddKeys.OLLAMA_TIMEOUT))
                            .build(),
                    config.get(EmbeddKeys.OLLAMA_RETRIES),
                    config.get(EmbeddKeys.OLLAMA_BACKOFF));
            }
            default -> throw new IllegalArgumentException("embedd.backend must be onnx or ollama, got '" + kind + "'");
        };
    }
}
