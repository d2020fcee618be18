package dev.lakehouse.embedd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.error.BadGateway;
import dev.lakehouse.common.error.GatewayTimeout;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.model.ModelInfo;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeddings from an Ollama server (the Go original's backend): {@code POST {url}/api/embed} with
 * {@code {"model","input":[...]}} → {@code {"model","embeddings":[[...]],...}}.
 *
 * <p>Retries are bounded and only where a retry can help: the connection could not be made, or Ollama
 * answered 5xx. A 4xx (e.g. 404 {@code model "x" not found, try pulling it first}) is Ollama telling us
 * something a retry won't change; everything that goes wrong upstream surfaces as a 502 (or 504 on a read
 * timeout) whose message names Ollama, its URL and what it said.
 */
public final class OllamaBackend implements EmbeddingBackend {
    private static final Logger log = LoggerFactory.getLogger(OllamaBackend.class);
    private static final MediaType JSON = MediaType.get("application/json");

    private final HttpUrl endpoint;
    private final String model;
    private final int dim;
    private final OkHttpClient http;
    private final int retries;
    private final Duration backoff;

    public OllamaBackend(String baseUrl, String model, int dim, OkHttpClient http, int retries, Duration backoff) {
        HttpUrl base = HttpUrl.parse(baseUrl);
        if (base == null) {
            throw new IllegalArgumentException("embedd.ollama_url is not an http(s) URL: " + baseUrl);
        }
        if (dim < 1) {
            throw new IllegalArgumentException("embedd.dim must be >= 1 for the ollama backend");
        }
        this.endpoint = base.newBuilder().addPathSegments("api/embed").build();
        this.model = model;
        this.dim = dim;
        this.http = http;
        this.retries = Math.max(0, retries);
        this.backoff = backoff;
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo(model, dim, "ollama");
    }

    @Override
    public boolean splitAcrossWorkers() {
        return false;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("input", texts);
        Request request = new Request.Builder().url(endpoint)
                .post(RequestBody.create(Json.bytes(body), JSON)).build();
        for (int attempt = 0; ; attempt++) {
            boolean last = attempt >= retries;
            try (Response response = http.newCall(request).execute()) {
                String text = response.body().string();
                if (response.isSuccessful()) {
                    return parse(text, texts.size());
                }
                String said = ollamaError(text);
                if (response.code() >= 500 && !last) {
                    log.warn("ollama {} answered {} ({}); retry {}/{}", endpoint, response.code(), said, attempt + 1, retries);
                    sleep(attempt);
                    continue;
                }
                throw new BadGateway(describe(response.code(), said), Map.of("upstream_status", response.code()));
            } catch (InterruptedIOException e) {
                // a read timeout: the model may be slow or stuck; retrying would double the wait
                throw new GatewayTimeout("ollama at " + endpoint + " did not answer in time: " + e.getMessage(), e);
            } catch (ConnectException | NoRouteToHostException | UnknownHostException e) {
                if (last) {
                    throw new BadGateway("ollama is unreachable at " + endpoint + " (" + e.getMessage()
                            + "); is `ollama serve` running? (embedd.ollama_url)", e);
                }
                log.warn("ollama {} unreachable ({}); retry {}/{}", endpoint, e.getMessage(), attempt + 1, retries);
                sleep(attempt);
            } catch (IOException e) {
                throw new BadGateway("ollama at " + endpoint + " failed mid-request: " + e.getMessage(), e);
            }
        }
    }

    private String describe(int status, String said) {
        if (status == 404) {
            return "ollama has no model \"" + model + "\" (" + said + "); run `ollama pull " + model + "` or set embedd.model";
        }
        return "ollama at " + endpoint + " answered " + status + ": " + said;
    }

    private List<float[]> parse(String text, int expected) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new BadGateway("ollama sent a body that is not JSON: " + e.getMessage(), e);
        }
        JsonNode embeddings = root == null ? null : root.get("embeddings");
        if (embeddings == null || !embeddings.isArray()) {
            throw new BadGateway("ollama's answer has no \"embeddings\" array");
        }
        if (embeddings.size() != expected) {
            throw new BadGateway("ollama returned " + embeddings.size() + " embeddings for " + expected + " texts");
        }
        List<float[]> out = new ArrayList<>(expected);
        for (JsonNode e : embeddings) {
            if (!e.isArray() || e.size() != dim) {
                throw new BadGateway("ollama model \"" + model + "\" returned a " + (e.isArray() ? e.size() + "-d" : "non-array")
                        + " embedding; embedd.dim is " + dim);
            }
            float[] v = new float[dim];
            for (int i = 0; i < dim; i++) {
                JsonNode x = e.get(i);
                if (!x.isNumber()) {
                    throw new BadGateway("ollama returned a non-numeric embedding component");
                }
                v[i] = x.floatValue();
            }
            out.add(v);
        }
        return out;
    }

    /** Ollama's own error text ({@code {"error":"..."}}), or the raw body cut short. */
    static String ollamaError(String body) {
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node != null && node.hasNonNull("error")) {
                return node.get("error").asText();
            }
        } catch (IOException notJson) {
            // fall through to the raw text
        }
        return body == null || body.isBlank() ? "(empty body)" : body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }

    private void sleep(int attempt) {
        try {
            Thread.sleep(backoff.toMillis() * (1L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayTimeout("interrupted while retrying ollama");
        }
    }
}
