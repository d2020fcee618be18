package dev.lakehouse.bench.ingest;

import dev.lakehouse.common.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Part of {@code just bench ingest}: 200 appends of 10 rows, then a GROUP BY through the gateway before and after
 * {@code POST /v1/ingest/{dataset}/compact}, against the same rows ingested as one file, in the same run
 * (interleaved). Goal: compacted / one-file ≤ 1.2.
 */
final class CompactBench {
    static final String MANY = "bench_compact_many";
    static final String ONE = "bench_compact_one";
    private static final int APPENDS = 200;
    private static final int ROWS = 10;
    private static final int RUNS = 41;

    private CompactBench() {}

    static void run(OkHttpClient http, String gateway) throws IOException {
        StringBuilder all = new StringBuilder("id,grp,v\n");
        long t = System.nanoTime();
        for (int i = 0; i < APPENDS; i++) {
            String chunk = chunk(i * ROWS);
            all.append(chunk, chunk.indexOf('\n') + 1, chunk.length());
            post(http, gateway + "/v1/ingest/" + MANY + (i == 0 ? "?mode=replace" : "?mode=append"), chunk);
        }
        double appendSecs = IngestBench.secs(System.nanoTime() - t);
        post(http, gateway + "/v1/ingest/" + ONE + "?mode=replace", all.toString());
        // ingestd compacts by itself past ingestd.compact_file_threshold (64): the dataset may hold fewer files now
        int files = Json.MAPPER.readTree(get(http, gateway + "/v1/catalog/datasets/" + MANY)).get("files").size();
        String q = "SELECT grp, count(*), sum(v) FROM %s GROUP BY grp ORDER BY grp";
        double[] before = interleaved(http, gateway, String.format(q, MANY), String.format(q, ONE));
        t = System.nanoTime();
        String compacted = post(http, gateway + "/v1/ingest/" + MANY + "/compact", "");
        double compactSecs = IngestBench.secs(System.nanoTime() - t);
        double[] after = interleaved(http, gateway, String.format(q, MANY), String.format(q, ONE));
        System.out.printf(Locale.ROOT, "compaction: %d appends of %d rows in %.1f s; compact %.3f s -> %s%n", APPENDS, ROWS,
                appendSecs, compactSecs, Json.MAPPER.readTree(compacted).get("compaction"));
        System.out.printf(Locale.ROOT, "GROUP BY, %d files vs one file:  %.2f ms vs %.2f ms, ratio %.2f%n", files,
                before[0], before[1], before[0] / before[1]);
        System.out.printf(Locale.ROOT, "GROUP BY, compacted vs one file: %.2f ms vs %.2f ms, ratio %.2f (goal <= 1.2) %s%n",
                after[0], after[1], after[0] / after[1], after[0] / after[1] <= 1.2 ? "OK" : "ABOVE GOAL");
    }

    static String chunk(int from) {
        StringBuilder sb = new StringBuilder("id,grp,v\n");
        for (int i = from; i < from + ROWS; i++) {
            sb.append(i).append(",g").append(i % 13).append(',').append(i * 0.25).append('\n');
        }
        return sb.toString();
    }

    /** Median ms of {@code a} and of {@code b}, run alternately after a warm-up. */
    static double[] interleaved(OkHttpClient http, String gateway, String a, String b) throws IOException {
        List<Double> ta = new ArrayList<>();
        List<Double> tb = new ArrayList<>();
        for (int i = 0; i < 20 + RUNS; i++) {
            double x = sql(http, gateway, a);
            double y = sql(http, gateway, b);
            if (i >= 20) {
                ta.add(x);
                tb.add(y);
            }
        }
        return new double[] {IngestBench.median(ta), IngestBench.median(tb)};
    }

    static double sql(OkHttpClient http, String gateway, String sql) throws IOException {
        Request req = new Request.Builder().url(gateway + "/v1/sql")
                .post(RequestBody.create(Json.write(Map.of("sql", sql)), MediaType.get("application/json"))).build();
        long t = System.nanoTime();
        try (Response r = http.newCall(req).execute()) {
            r.body().bytes();
            if (r.code() != 200) {
                throw new IllegalStateException("sql answered " + r.code());
            }
        }
        return (System.nanoTime() - t) / 1e6;
    }

    static String get(OkHttpClient http, String url) throws IOException {
        try (Response r = http.newCall(new Request.Builder().url(url).build()).execute()) {
            return r.body().string();
        }
    }

    static String post(OkHttpClient http, String url, String csv) throws IOException {
        try (Response r = http.newCall(new Request.Builder().url(url)
                .post(RequestBody.create(csv, MediaType.get("text/csv"))).build()).execute()) {
            String body = r.body().string();
            if (r.code() != 201 && r.code() != 200) {
                throw new IllegalStateException(url + " answered " + r.code() + ": " + body);
            }
            return body;
        }
    }
}
