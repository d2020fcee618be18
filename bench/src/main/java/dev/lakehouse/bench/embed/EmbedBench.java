package dev.lakehouse.bench.embed;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.model.EmbedRequest;
import dev.lakehouse.common.model.EmbedResponse;
import dev.lakehouse.embedd.EmbedRoutes;
import dev.lakehouse.embedd.EmbeddMain;
import dev.lakehouse.embedd.EmbeddingBackend;
import dev.lakehouse.embedd.WorkerPool;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * {@code just bench embed}: texts/s and per-request p50/p99 of embedding the fortunes corpus, one text per
 * request and in batches, measured in one run three ways: the model as langchain4j ships it (the reference),
 * embedd's backend + worker pool in this JVM (no HTTP), and through the gateway ({@code POST /v1/embed}).
 * Prints the ratios.
 *
 * <p>Args: {@code GATEWAY_URL DATA_DIR [single=N] [batched=N] [batch=B]}.
 */
public final class EmbedBench {
    private static final MediaType JSON = MediaType.get("application/json");

    private EmbedBench() {}

    public static void main(String[] args) throws Exception {
        String gateway = args[0];
        Path dataDir = Path.of(args[1]);
        Map<String, String> opts = new java.util.HashMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            opts.put(kv[0], kv[1]);
        }
        List<String> corpus = FortunesCorpus.load(FortunesCorpus.DEFAULT_DIR, 2000);
        int singleN = Math.min(corpus.size(), Integer.parseInt(opts.getOrDefault("single", "1000")));
        int batchedN = Math.min(corpus.size(), Integer.parseInt(opts.getOrDefault("batched", "4000")));
        int batch = Integer.parseInt(opts.getOrDefault("batch", "64"));
        double avgChars = corpus.stream().mapToInt(String::length).average().orElse(0);
        System.out.printf("corpus: %d fortunes (avg %.0f chars); single: %d texts, batched: %d texts in batches of %d; %d cores%n",
                corpus.size(), avgChars, singleN, batchedN, batch, Runtime.getRuntime().availableProcessors());

        // env overrides (LAKEHOUSE_EMBEDD_WORKERS, LAKEHOUSE_EMBEDD_ONNX_THREADS) apply, as in the server
        Config cfg = Config.load(new String[0]).with(Map.of("data_dir", dataDir.toString()));
        EmbeddingBackend backend = EmbeddMain.backend(cfg);
        WorkerPool pool = EmbeddMain.pool(cfg);
        EmbedRoutes inProcess = new EmbedRoutes(backend, pool, 1 << 20, 1 << 20);
        OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofMinutes(2)).build();
        Function<List<String>, Integer> viaGateway = texts -> post(http, gateway + "/v1/embed", texts);
        Function<List<String>, Integer> local = texts -> inProcess.embed(texts).vectors().size();
        // the reference: the model as langchain4j ships it (its own ONNX session and thread pool)
        AllMiniLmL6V2QuantizedEmbeddingModel stock = new AllMiniLmL6V2QuantizedEmbeddingModel();
        Function<List<String>, Integer> lc4j = texts -> texts.size() == 1
                ? (stock.embed(texts.get(0)).content().vector().length > 0 ? 1 : 0)
                : stock.embedAll(texts.stream().map(TextSegment::from).toList()).content().size();

        // warm both paths (JIT, ONNX arenas, connections)
        List<String> warm = corpus.subList(0, Math.min(200, corpus.size()));
        for (var f : List.of(lc4j, local, viaGateway)) {
            run(f, warm, 1);
            run(f, warm, batch);
        }

        List<String> singles = corpus.subList(0, singleN);
        List<String> batched = corpus.subList(corpus.size() - batchedN, corpus.size());
        // interleave the two sides so background load on the shared machine hits both alike
        Result stockSingle = run(lc4j, singles, 1);
        Result localSingle = run(local, singles, 1);
        Result gwSingle = run(viaGateway, singles, 1);
        Result stockBatch = run(lc4j, batched, batch);
        Result localBatch = run(local, batched, batch);
        Result gwBatch = run(viaGateway, batched, batch);

        System.out.println();
        System.out.printf("%-34s %10s %10s %10s%n", "", "texts/s", "p50 ms", "p99 ms");
        print("langchain4j stock, 1 text/call", stockSingle);
        print("embedd in-process, 1 text/call", localSingle);
        print("gateway, 1 text/request", gwSingle);
        print("langchain4j stock, batch of " + batch, stockBatch);
        print("embedd in-process, batch of " + batch, localBatch);
        print("gateway, batch of " + batch, gwBatch);
        System.out.println();
        System.out.printf("ratio gateway/in-process texts/s: single %.2f, batched %.2f%n",
                gwSingle.textsPerSec() / localSingle.textsPerSec(), gwBatch.textsPerSec() / localBatch.textsPerSec());
        System.out.printf("ratio embedd pool/langchain4j stock texts/s: single %.2f, batched %.2f%n",
                localSingle.textsPerSec() / stockSingle.textsPerSec(), localBatch.textsPerSec() / stockBatch.textsPerSec());
        System.out.printf("ratio gateway/langchain4j stock texts/s: single %.2f, batched %.2f%n",
                gwSingle.textsPerSec() / stockSingle.textsPerSec(), gwBatch.textsPerSec() / stockBatch.textsPerSec());
        System.out.printf("per-request overhead of gateway+HTTP at p50 (single): %.2f ms%n",
                gwSingle.p50() - localSingle.p50());
        System.out.printf("batching speed-up (texts/s batched / single): in-process %.2fx, gateway %.2fx%n",
                localBatch.textsPerSec() / localSingle.textsPerSec(), gwBatch.textsPerSec() / gwSingle.textsPerSec());
        pool.close();
        backend.close();
    }

    record Result(int texts, double seconds, double[] latenciesMs) {
        double textsPerSec() {
            return texts / seconds;
        }

        double p50() {
            return pct(0.50);
        }

        double p99() {
            return pct(0.99);
        }

        double pct(double q) {
            double[] s = latenciesMs.clone();
            Arrays.sort(s);
            return s[Math.min(s.length - 1, (int) Math.ceil(q * s.length) - 1)];
        }
    }

    static void print(String label, Result r) {
        System.out.printf("%-34s %10.1f %10.2f %10.2f%n", label, r.textsPerSec(), r.p50(), r.p99());
    }

    /** Sends {@code texts} in requests of {@code batch}, one after another; per-request latency. */
    static Result run(Function<List<String>, Integer> embed, List<String> texts, int batch) {
        List<Double> lat = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < texts.size(); i += batch) {
            List<String> part = texts.subList(i, Math.min(texts.size(), i + batch));
            long s = System.nanoTime();
            int n = embed.apply(part);
            lat.add((System.nanoTime() - s) / 1e6);
            if (n != part.size()) {
                throw new IllegalStateException("got " + n + " vectors for " + part.size() + " texts");
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        return new Result(texts.size(), secs, lat.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static int post(OkHttpClient http, String url, List<String> texts) {
        Request req = new Request.Builder().url(url)
                .post(RequestBody.create(Json.bytes(EmbedRequest.of(texts)), JSON)).build();
        try (Response r = http.newCall(req).execute()) {
            if (r.code() != 200) {
                throw new IllegalStateException("POST " + url + " -> " + r.code() + ": " + r.body().string());
            }
            return Json.MAPPER.readValue(r.body().byteStream(), EmbedResponse.class).vectors().size();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
