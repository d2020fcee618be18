package dev.lakehouse.embedd;

import dev.lakehouse.common.config.Key;
import java.time.Duration;
import java.util.List;

/** embedd's config keys, declared once; docs/embedd.md has one row per key (checked by EmbeddKeysTest). */
public final class EmbeddKeys {
    private EmbeddKeys() {}

    public static final Key<String> BACKEND = Key.string("embedd.backend", "onnx", "`onnx` or `ollama`");
    public static final Key<Integer> MAX_BATCH = Key.integer("embedd.max_batch", 256, "most texts per request (more → 413)");
    public static final Key<Integer> MAX_TEXT_CHARS = Key.integer("embedd.max_text_chars", 32_768,
            "longest single text (longer → 413)");
    public static final Key<Integer> WORKERS = Key.integer("embedd.workers", 0, "embedding worker threads").computed("#cores");
    public static final Key<Integer> QUEUE = Key.integer("embedd.queue", 0,
            "tasks waiting for a worker before requests get 503").computed("workers × 16");
    public static final Key<Duration> REQUEST_TIMEOUT = Key.duration("embedd.request_timeout", Duration.ofSeconds(60),
            "whole request → 504");
    public static final Key<Integer> ONNX_THREADS = Key.integer("embedd.onnx_threads", 1,
            "ONNX Runtime intra-op threads per inference (the pool already runs one per core)");
    public static final Key<String> OLLAMA_URL = Key.string("embedd.ollama_url", "http://127.0.0.1:11434", "Ollama server");
    public static final Key<String> MODEL = Key.string("embedd.model", "nomic-embed-text",
            "Ollama model (the onnx backend's model is fixed)");
    public static final Key<Integer> DIM = Key.integer("embedd.dim", 768,
            "the Ollama model's dimension; answers of another size → 502");
    public static final Key<Duration> OLLAMA_TIMEOUT = Key.duration("embedd.ollama_timeout", Duration.ofSeconds(60),
            "read timeout towards Ollama → 504");
    public static final Key<Duration> OLLAMA_CONNECT_TIMEOUT = Key.duration("embedd.ollama_connect_timeout",
            Duration.ofSeconds(2), "connect timeout towards Ollama");
    public static final Key<Integer> OLLAMA_RETRIES = Key.integer("embedd.ollama_retries", 2,
            "retries after a connect failure or a 5xx");
    public static final Key<Duration> OLLAMA_BACKOFF = Key.duration("embedd.ollama_backoff", Duration.ofMillis(200),
            "first retry delay (doubles each retry)");

    public static final List<Key<?>> ALL = List.of(BACKEND, MAX_BATCH, MAX_TEXT_CHARS, WORKERS, QUEUE, REQUEST_TIMEOUT,
            ONNX_THREADS, OLLAMA_URL, MODEL, DIM, OLLAMA_TIMEOUT, OLLAMA_CONNECT_TIMEOUT, OLLAMA_RETRIES, OLLAMA_BACKOFF);
}
