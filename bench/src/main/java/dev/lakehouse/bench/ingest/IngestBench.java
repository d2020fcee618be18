package dev.lakehouse.bench.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.json.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * {@code just bench ingest}: a generated CSV (default 1M rows × 8 columns, ~91 MiB) through the gateway's
 * {@code POST /v1/ingest/{dataset}} (spool, DuckDB sniff + COPY to zstd Parquet, upload to storaged, register in
 * catalogd), against DuckDB's own {@code COPY read_csv(...) TO parquet (zstd)} on the same file in this JVM.
 * Prints rows/s, MiB/s and the throughput ratio ingest / DuckDB (goal ≥ 0.8). Median of the measured runs. Then the
 * same file gzip'd (Content-Encoding: gzip vs DuckDB reading the .csv.gz), and {@link CompactBench}.
 *
 * <p>Args: {@code GATEWAY_URL WORK_DIR [ROWS] [RUNS]}.
 */
public final class IngestBench {
    private IngestBench() {}

    public static void main(String[] args) throws Exception {
        String gateway = args[0];
        Path work = Files.createDirectories(Path.of(args[1]));
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Path csv = work.resolve("ingest-" + rows + ".csv");
        if (!Files.exists(csv)) {
            long t = System.nanoTime();
            generate(csv, rows);
            System.out.printf(Locale.ROOT, "generated %s in %.1f s%n", csv, secs(System.nanoTime() - t));
        }
        double mib = Files.size(csv) / (1024.0 * 1024.0);
        System.out.printf(Locale.ROOT, "input: %,d rows × 8 columns, %.1f MiB CSV; %d measured runs (interleaved) after 1 warm-up, median%n",
                rows, mib, runs);

        List<Double> duck = new ArrayList<>();
        List<Double> ingest = new ArrayList<>();
        Path out = work.resolve("duckdb-reference.parquet");
        OkHttpClient http = new OkHttpClient.Builder()
                .readTimeout(10, TimeUnit.MINUTES).writeTimeout(10, TimeUnit.MINUTES).build();
        String dataset = "bench_ingest";
        // interleaved, so a load change on the shared machine hits both sides alike
        for (int i = 0; i <= runs; i++) {
            double s = duckdbCopy(csv, out);
            double g = ingest(http, gateway, dataset, csv, rows);
            if (i > 0) {
                duck.add(s);
                ingest.add(g);
            }
        }
        double d = median(duck);
        double g = median(ingest);
        report("duckdb COPY (reference)", rows, mib, d, duck);
        report("ingest via gateway", rows, mib, g, ingest);
        System.out.printf(Locale.ROOT, "ratio ingest/duckdb throughput: %.2f (goal >= 0.8) %s%n", d / g, d / g >= 0.8 ? "OK" : "BELOW GOAL");

        // the same file gzip'd: Content-Encoding gzip through the gateway vs DuckDB reading the .csv.gz itself
        Path gz = work.resolve("ingest-" + rows + ".csv.gz");
        if (!Files.exists(gz)) {
            try (var in = Files.newInputStream(csv);
                    var z = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz), 1 << 16)) {
                in.transferTo(z);
            }
        }
        List<Double> duckGz = new ArrayList<>();
        List<Double> ingestGz = new ArrayList<>();
        for (int i = 0; i <= runs; i++) {
            double s = duckdbCopy(gz, out);
            double g2 = ingest(http, gateway, dataset, gz, rows, "gzip");
            if (i > 0) {
                duckGz.add(s);
                ingestGz.add(g2);
            }
        }
        double dz = median(duckGz);
        double gzs = median(ingestGz);
        System.out.printf(Locale.ROOT, "gzip'd CSV: %.1f MiB (%.1fx smaller)%n", Files.size(gz) / (1024.0 * 1024.0),
                (double) Files.size(csv) / Files.size(gz));
        report("duckdb COPY .csv.gz", rows, mib, dz, duckGz);
        report("ingest gzip via gateway", rows, mib, gzs, ingestGz);
        System.out.printf(Locale.ROOT, "ratio gzip ingest/duckdb throughput: %.2f; gzip ingest vs plain ingest: %.2f%n",
                dz / gzs, g / gzs);

        CompactBench.run(http, gateway);
        System.out.println("note: measured on a shared machine; other processes' load makes single figures noisy, the ratio less so");
    }

    static void report(String what, int rows, double mib, double secs, List<Double> all) {
        System.out.printf(Locale.ROOT, "%-26s %6.3f s  %,12.0f rows/s  %7.1f MiB/s   runs: %s%n",
                what, secs, rows / secs, mib / secs, all.stream().map(x -> String.format(Locale.ROOT, "%.3f", x)).toList());
    }

    static double duckdbCopy(Path csv, Path out) throws SQLException, IOException {
        Files.deleteIfExists(out);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            long t = System.nanoTime();
            s.execute("COPY (SELECT * FROM read_csv('" + csv + "')) TO '" + out + "' (FORMAT parquet, COMPRESSION zstd)");
            return secs(System.nanoTime() - t);
        }
    }

    static double ingest(OkHttpClient http, String gateway, String dataset, Path csv, int rows) throws IOException {
        return ingest(http, gateway, dataset, csv, rows, null);
    }

    static double ingest(OkHttpClient http, String gateway, String dataset, Path csv, int rows, String encoding)
            throws IOException {
        Request.Builder rb = new Request.Builder().url(gateway + "/v1/ingest/" + dataset + "?mode=replace")
                .post(RequestBody.create(csv.toFile(), MediaType.get("text/csv")));
        if (encoding != null) {
            rb.header("Content-Encoding", encoding);
        }
        Request req = rb.build();
        long t = System.nanoTime();
        try (Response r = http.newCall(req).execute()) {
            String body = r.body().string();
            double s = secs(System.nanoTime() - t);
            if (r.code() != 201) {
                throw new IllegalStateException("ingest answered " + r.code() + ": " + body);
            }
            JsonNode m = Json.MAPPER.readTree(body);
            if (m.get("rows").asLong() != rows) {
                throw new IllegalStateException("manifest has " + m.get("rows") + " rows, expected " + rows);
            }
            return s;
        }
    }

    /** Deterministic CSV: BIGINT, VARCHAR, DOUBLE, BIGINT, BOOLEAN, DATE, TIMESTAMP, VARCHAR. */
    static void generate(Path csv, int rows) throws IOException {
        Random rnd = new Random(42);
        LocalDate d0 = LocalDate.of(2020, 1, 1);
        LocalDateTime t0 = LocalDateTime.of(2020, 1, 1, 0, 0, 0);
        String[] words = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"};
        Path tmp = csv.resolveSibling(csv.getFileName() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write("id,customer,price,quantity,active,order_date,created_at,comment\n");
            StringBuilder sb = new StringBuilder(128);
            for (int i = 0; i < rows; i++) {
                sb.setLength(0);
                sb.append(i).append(',')
                        .append("customer_").append(rnd.nextInt(100_000)).append(',')
                        .append(rnd.nextInt(1_000_000) / 100.0).append(',')
                        .append(rnd.nextInt(1000)).append(',')
                        .append(rnd.nextBoolean()).append(',')
                        .append(d0.plusDays(rnd.nextInt(1500))).append(',')
                        .append(t0.plusSeconds(rnd.nextInt(120_000_000)).toString().replace('T', ' ')).append(',')
                        .append(words[rnd.nextInt(10)]).append(' ').append(words[rnd.nextInt(10)]).append(' ')
                        .append(words[rnd.nextInt(10)]).append(' ').append(rnd.nextInt(1_000_000)).append('\n');
                w.append(sb);
            }
        }
        Files.move(tmp, csv);
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static double secs(long nanos) {
        return nanos / 1e9;
    }
}
