package dev.lakehouse.bench.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.client.HttpClients;
import dev.lakehouse.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.duckdb.DuckDBResultSet;

/**
 * The second half of {@code just bench query}: a whole 5-column dataset exported through the gateway as CSV and as
 * Arrow against DuckDB in this JVM on the same Parquet ({@code COPY ... TO} a CSV file; its Arrow export written as
 * an IPC stream), throughput ratio gateway / DuckDB (goal ≥ 0.8) and the CSV compared byte for byte; queryd's peak
 * heap; then a burst of 64 clients × 20 GROUP BYs (errors, p50/p99) against the same GROUP BYs run one at a time.
 *
 * <p>Args: {@code GATEWAY_URL WORK_DIR QUERYD_URL [ROWS] [RUNS]}.
 */
public final class ExportBench {
    static final String DATASET = "bench_export";
    static final String GROUP_BY = "SELECT city, count(*) AS n, sum(amount) AS total FROM " + DATASET + " GROUP BY city";

    private ExportBench() {}

    public static void main(String[] args) throws Exception {
        String gateway = args[0];
        Path work = Files.createDirectories(Path.of(args[1]));
        String queryd = args[2];
        int rows = args.length > 3 ? Integer.parseInt(args[3]) : 3_000_000;
        int runs = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        OkHttpClient http = new OkHttpClient.Builder().readTimeout(10, TimeUnit.MINUTES)
                .writeTimeout(10, TimeUnit.MINUTES).build();

        Path csv = work.resolve("export-" + rows + ".csv");
        if (!Files.exists(csv)) {
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
                s.execute("COPY (SELECT range AS id, ['paris','lyon','nice','lille','rome'][range % 5 + 1] AS city,"
                        + " (hash(range) % 100000)::BIGINT / 100.0 AS amount, DATE '2020-01-01' + (range % 1500)::INTEGER AS day,"
                        + " range % 3 = 0 AS flag FROM range(" + rows + ")) TO '" + csv + "' (HEADER)");
            }
        }
        Request ingest = new Request.Builder().url(gateway + "/v1/ingest/" + DATASET + "?mode=replace")
                .post(RequestBody.create(csv.toFile(), MediaType.get("text/csv"))).build();
        JsonNode manifest;
        try (Response r = http.newCall(ingest).execute()) {
            manifest = Json.MAPPER.readTree(r.body().bytes());
            if (r.code() != 201 && r.code() != 200) {
                throw new IllegalStateException("ingest answered " + r.code() + ": " + manifest);
            }
        }
        List<Path> local = QueryBench.download(http, gateway, manifest, work.resolve("export-parquet"));
        String files = local.stream().map(p -> "'" + p + "'").collect(Collectors.joining(","));
        String select = "SELECT * FROM " + DATASET + " ORDER BY id";
        String refSelect = "SELECT * FROM read_parquet([" + files + "]) ORDER BY id";
        System.out.printf(Locale.ROOT, "export: %,d rows x 5 columns, %d Parquet file(s); %d runs, interleaved, after %d"
                + " untimed (-Dbench.export_warmup)%n", manifest.get("rows").asLong(), local.size(), runs,
                Integer.getInteger("bench.export_warmup", 2));

        // the answer is read by the fleet's own client for long bodies (the gateway reads queryd with it): no okio
        // watchdog wake-up per 8 KiB read (ADR 0010) and 64 KiB per socket read instead of okio's 8 KiB, so the
        // client's share of the two cores is the bytes' way in, as with curl or a pyarrow reader (ADR 0042, s. 11)
        OkHttpClient reader = HttpClients.idleTimed(Duration.ofMinutes(10));
        String secrets = System.getProperty("bench.secrets", "");
        OkHttpClient direct = secrets.isEmpty() || !Files.exists(Path.of(secrets)) ? null
                : FleetCredential.load(Path.of(secrets)).signing(reader);
        Meter meter = new Meter(Long.getLong("bench.queryd_pid", 0), Long.getLong("bench.gateway_pid", 0));
        Path refCsv = work.resolve("export-ref.csv");
        Path gotCsv = work.resolve("export-got.csv");
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); RootAllocator alloc = new RootAllocator()) {
            long[] csvBytes = {0};
            long[] arrowBytes = {0};
            boolean same = true;
            // untimed rounds first: on a fleet just started, the first exports pay the JIT compiling queryd's and the
            // gateway's export path (the gateway's CPU per Arrow export 0.23 s in a first run, 0.09 s in the next)
            int warmup = Integer.getInteger("bench.export_warmup", 2);
            for (int i = -warmup; i < runs; i++) {
                meter.recording = i >= 0;
                meter.run("csv duckdb", () -> {
                    try (Statement s = duck.createStatement()) {
                        s.execute("COPY (" + refSelect + ") TO '" + refCsv + "' (HEADER)");
                    }
                });
                csvBytes[0] = Files.size(refCsv);
                String want = sha(Files.newInputStream(refCsv));
                // the gateway and the direct call take turns at going first: the first export after the reference
                // may find queryd's threads and memory colder than the second
                for (boolean viaGateway : i % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                    if (viaGateway) {
                        meter.run("csv gateway", () -> toFile(reader, sql(gateway, select, "text/csv"), gotCsv));
                    } else if (direct != null) {
                        meter.run("csv queryd", () -> toFile(direct, sql(queryd, "/sql", select, "text/csv"), gotCsv));
                    } else {
                        continue;
                    }
                    same &= want.equals(sha(Files.newInputStream(gotCsv)));
                }
                Files.deleteIfExists(gotCsv);
                Files.deleteIfExists(refCsv);

                long[] refRows = {0};
                meter.run("arrow duckdb", () -> {
                    Counting sink = new Counting();
                    try (Statement s = duck.createStatement(); DuckDBResultSet rs = (DuckDBResultSet) s.executeQuery(refSelect);
                            ArrowReader r = (ArrowReader) rs.arrowExportStream(alloc, 65536);
                            ArrowStreamWriter w = new ArrowStreamWriter(r.getVectorSchemaRoot(), r, Channels.newChannel(sink))) {
                        w.start();
                        while (r.loadNextBatch()) {
                            w.writeBatch();
                            refRows[0] += r.getVectorSchemaRoot().getRowCount();
                        }
                        w.end();
                    }
                });
                for (boolean viaGateway : i % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                    if (viaGateway) {
                        meter.run("arrow gateway", () -> arrowBytes[0] = readArrow(reader, sql(gateway, select,
                                "application/vnd.apache.arrow.stream"), alloc, refRows[0]));
                    } else if (direct != null) {
                        meter.run("arrow queryd", () -> readArrow(direct, sql(queryd, "/sql", select,
                                "application/vnd.apache.arrow.stream"), alloc, refRows[0]));
                    }
                }
            }
            meter.report("CSV", csvBytes[0], "csv");
            meter.report("Arrow", arrowBytes[0], "arrow");
            System.out.println("CSV export byte for byte equal to DuckDB's COPY TO: " + (same ? "yes" : "NO"));
        }
        try (Response r = http.newCall(new Request.Builder().url(queryd + "/health").build()).execute()) {
            JsonNode h = Json.MAPPER.readTree(r.body().bytes());
            System.out.printf(Locale.ROOT, "queryd heap: peak %.1f MiB of max %.1f MiB (goal: peak < 256 MiB); result memory peak %.1f MiB%n",
                    h.at("/heap/peak").asLong() / 1048576.0, h.at("/heap/max").asLong() / 1048576.0,
                    h.at("/result_memory/peak_bytes").asLong() / 1048576.0);
        }
        if (Boolean.parseBoolean(System.getProperty("bench.burst", "true"))) { // -Dbench.burst=false: exports only
            burst(gateway, 64, 20);
        }
    }

    /** Drains the answer into {@code file}, as COPY writes its own (compared afterwards, outside the timing). */
    static void toFile(OkHttpClient http, Request req, Path file) throws IOException {
        try (Response r = http.newCall(req).execute()) {
            if (r.code() != 200) {
                throw new IllegalStateException("export answered " + r.code() + ": " + r.body().string());
            }
            Files.copy(r.body().byteStream(), file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Reads an Arrow answer batch by batch; its size in bytes. Fails unless it has {@code rows} rows. */
    static long readArrow(OkHttpClient http, Request req, RootAllocator alloc, long rows) throws IOException {
        long got = 0;
        try (Response r = http.newCall(req).execute();
                ArrowStreamReader reader = new ArrowStreamReader(r.body().byteStream(), alloc)) {
            if (r.code() != 200) {
                throw new IllegalStateException("export answered " + r.code() + ": " + r.body().string());
            }
            while (reader.loadNextBatch()) {
                got += reader.getVectorSchemaRoot().getRowCount();
            }
            if (got != rows) {
                throw new IllegalStateException("Arrow export: " + got + " rows, DuckDB " + rows);
            }
            return reader.bytesRead();
        }
    }

    interface Run {
        void run() throws Exception;
    }

    /**
     * Wall time and CPU seconds per export of queryd, the gateway and this JVM (the client, or DuckDB itself for
     * the reference), by side. CPU per export holds on a loaded machine; the throughput ratio does not.
     */
    static final class Meter {
        private final long querydPid;
        private final long gatewayPid;
        private final long self = ProcessHandle.current().pid();
        private final Map<String, List<double[]>> samples = new LinkedHashMap<>();
        /** False during the warm-up rounds. */
        boolean recording = true;

        Meter(long querydPid, long gatewayPid) {
            this.querydPid = querydPid;
            this.gatewayPid = gatewayPid;
        }

        void run(String side, Run run) throws Exception {
            double q = ProcessCpu.seconds(querydPid);
            double g = ProcessCpu.seconds(gatewayPid);
            double c = ProcessCpu.seconds(self);
            long t = System.nanoTime();
            run.run();
            double ms = (System.nanoTime() - t) / 1e6;
            if (!recording) {
                return;
            }
            samples.computeIfAbsent(side, k -> new ArrayList<>()).add(new double[] {ms,
                    ProcessCpu.seconds(querydPid) - q, ProcessCpu.seconds(gatewayPid) - g, ProcessCpu.seconds(self) - c});
        }

        double median(String side, int field) {
            List<double[]> xs = samples.getOrDefault(side, List.of());
            return xs.isEmpty() ? Double.NaN : QueryBench.median(xs.stream().map(x -> x[field]).toList());
        }

        void report(String format, long bytes, String key) {
            double mib = bytes / 1048576.0;
            double d = median(key + " duckdb", 0);
            double g = median(key + " gateway", 0);
            double q = median(key + " queryd", 0);
            System.out.printf(Locale.ROOT, "%-5s export %.1f MiB: duckdb median %.0f ms (%.0f MiB/s) | gateway median %.0f ms"
                    + " (%.0f MiB/s) | throughput ratio %.2f (goal >= 0.8) %s | queryd direct %.0f ms, ratio %.2f%n",
                    format, mib, d, mib / (d / 1000), g, mib / (g / 1000), d / g, d / g >= 0.8 ? "OK" : "BELOW GOAL", q, d / q);
            System.out.printf(Locale.ROOT, "      CPU s per export (medians): duckdb %.2f | via gateway: queryd %.2f, gateway %.2f,"
                    + " client %.2f | queryd direct: queryd %.2f, client %.2f | fleet/duckdb CPU %.2f%n",
                    median(key + " duckdb", 3), median(key + " gateway", 1), median(key + " gateway", 2),
                    median(key + " gateway", 3), median(key + " queryd", 1), median(key + " queryd", 3),
                    (median(key + " gateway", 1) + median(key + " gateway", 2)) / median(key + " duckdb", 3));
        }
    }

    /** {@code clients} concurrent clients, {@code each} GROUP BYs apiece, then as many one at a time. */
    static void burst(String gateway, int clients, int each) throws Exception {
        OkHttpClient http = new OkHttpClient.Builder().readTimeout(2, TimeUnit.MINUTES)
                .dispatcher(dispatcher(clients)).connectionPool(new ConnectionPool(clients, 1, TimeUnit.MINUTES)).build();
        List<Double> serial = new ArrayList<>();
        for (int i = 0; i < clients * each / 4; i++) {
            serial.add(timed(http, gateway));
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger errors = new AtomicInteger();
        List<Future<List<Double>>> futures = new ArrayList<>();
        long t = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                List<Double> mine = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    double ms = timed(http, gateway);
                    if (ms < 0) {
                        errors.incrementAndGet();
                    } else {
                        mine.add(ms);
                    }
                }
                return mine;
            }));
        }
        List<Double> all = new ArrayList<>();
        for (Future<List<Double>> f : futures) {
            all.addAll(f.get());
        }
        double wall = (System.nanoTime() - t) / 1e9;
        pool.shutdown();
        all.sort(null);
        serial.sort(null);
        System.out.printf(Locale.ROOT, "burst %d clients x %d GROUP BYs: %d errors (goal 0), p50 %.0f ms, p99 %.0f ms, %.0f queries/s |"
                + " one at a time (%d): p50 %.1f ms, p99 %.1f ms, %.0f queries/s%n", clients, each, errors.get(),
                pct(all, 0.5), pct(all, 0.99), all.size() / wall, serial.size(), pct(serial, 0.5), pct(serial, 0.99),
                1000 / QueryBench.median(serial));
    }

    static Dispatcher dispatcher(int n) {
        Dispatcher d = new Dispatcher();
        d.setMaxRequests(n);
        d.setMaxRequestsPerHost(n);
        return d;
    }

    static double timed(OkHttpClient http, String gateway) {
        long t = System.nanoTime();
        try (Response r = http.newCall(sql(gateway, GROUP_BY, "application/json")).execute()) {
            r.body().bytes();
            return r.code() == 200 ? (System.nanoTime() - t) / 1e6 : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    static double pct(List<Double> sorted, double p) {
        return sorted.isEmpty() ? Double.NaN : sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p * sorted.size())));
    }

    static Request sql(String gateway, String sql, String accept) {
        return sql(gateway, "/v1/sql", sql, accept);
    }

    static Request sql(String base, String path, String sql, String accept) {
        return new Request.Builder().url(base + path).header("Accept", accept)
                .post(RequestBody.create(sql, MediaType.get("text/plain"))).build();
    }

    static String sha(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (in) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Counts what the reference's Arrow writer writes, like a client that reads it. */
    static final class Counting extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
