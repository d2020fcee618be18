package dev.lakehouse.bench.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.json.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
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
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
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
 * Prints rows/s, MiB/s and the throughput ratio ingest / DuckDB (goal ≥ 0.8), in wall and in CPU time (the reference's
 * from this JVM, the ingest's summed over the fleet's processes, {@link FleetCpu}), and per phase from ingestd's
 * {@code Server-Timing} header: on a loaded machine CPU is the robust measure. Median and spread of the measured runs.
 * Then the same file gzip'd (Content-Encoding: gzip vs DuckDB reading the .csv.gz), and {@link CompactBench}.
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
        System.out.printf(Locale.ROOT, "input: %,d rows × 8 columns, %.1f MiB CSV; %d measured runs (interleaved) after %d warm-up, median%n",
                rows, mib, runs, WARMUP);

        OkHttpClient http = new OkHttpClient.Builder()
                .readTimeout(10, TimeUnit.MINUTES).writeTimeout(10, TimeUnit.MINUTES).build();
        FleetCpu fleet = FleetCpu.of(Path.of(System.getProperty("bench.run_dir", "run")));
        System.out.println("reference: DuckDB's COPY (SELECT * FROM read_csv(file)) TO parquet (COMPRESSION zstd) in this JVM:"
                + " its own sniffer, default row groups, preserve_insertion_order on, all cores -- the statement ingestd's"
                + " conversion runs (like with like); ingest adds HTTP through the gateway, the spool, upload and register."
                + " CPU: this JVM's for the reference; " + fleet.describe() + " for the ingest (thread+process CPU from /proc)");
        Path out = work.resolve("duckdb-reference.parquet");
        double g = compare("plain CSV", http, gateway, csv, null, out, rows, mib, runs, fleet);

        // the same file gzip'd: Content-Encoding gzip through the gateway vs DuckDB reading the .csv.gz itself
        Path gz = work.resolve("ingest-" + rows + ".csv.gz");
        if (!Files.exists(gz)) {
            try (var in = Files.newInputStream(csv);
                    var z = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz), 1 << 16)) {
                in.transferTo(z);
            }
        }
        System.out.printf(Locale.ROOT, "gzip'd CSV: %.1f MiB (%.1fx smaller)%n", Files.size(gz) / (1024.0 * 1024.0),
                (double) Files.size(csv) / Files.size(gz));
        double gzs = compare("gzip'd CSV", http, gateway, gz, "gzip", out, rows, mib, runs, fleet);
        System.out.printf(Locale.ROOT, "gzip ingest vs plain ingest throughput: %.2f%n", g / gzs);

        if (Boolean.parseBoolean(System.getProperty("bench.compact", "true"))) { // -Dbench.compact=false: ingest only
            CompactBench.run(http, gateway);
        }
        System.out.println("note: measured on a shared machine; other processes' load makes single figures noisy, the ratio less so");
    }

    /** One measured run: wall and CPU seconds, and (for an ingest) ingestd's phases, name -> {wall, cpu} seconds. */
    record Sample(double wall, double cpu, Map<String, double[]> phases, double[] byProcess, double[] sysByProcess,
            double[] jitByProcess) {}

    /** Warm-up pairs before the measured ones ({@code -Dbench.warmup}): a fresh fleet's JIT compiles during the first ingests. */
    static final int WARMUP = Integer.getInteger("bench.warmup", 1);

    /**
     * {@code runs} interleaved pairs (after {@link #WARMUP} warm-up pairs) of DuckDB's COPY of {@code file} and an ingest of it; prints
     * medians and spreads, per phase and in total; returns the ingest's median wall seconds.
     */
    static double compare(String what, OkHttpClient http, String gateway, Path file, String encoding, Path out, int rows,
            double mib, int runs, FleetCpu fleet) throws Exception {
        List<Sample> duck = new ArrayList<>();
        List<Sample> ingest = new ArrayList<>();
        // interleaved, so a load change on the shared machine hits both sides alike
        for (int i = 0; i < WARMUP + runs; i++) {
            Sample d = duckdbCopy(file, out);
            Sample g = ingest(http, gateway, "bench_ingest", file, rows, encoding, fleet);
            if (i >= WARMUP) {
                duck.add(d);
                ingest.add(g);
            }
        }
        double dw = median(duck.stream().map(Sample::wall).toList());
        double dc = median(duck.stream().map(Sample::cpu).toList());
        double gw = median(ingest.stream().map(Sample::wall).toList());
        double gc = median(ingest.stream().map(Sample::cpu).toList());
        System.out.printf(Locale.ROOT, "%n%s, %d runs: median [min-max]%n", what, runs);
        report("duckdb COPY (reference)", rows, mib, duck);
        report("ingest via gateway", rows, mib, ingest);
        System.out.println(byProcess("ingest cpu s by process:", fleet, ingest, Sample::byProcess));
        System.out.println(byProcess("  of which system time:", fleet, ingest, Sample::sysByProcess));
        System.out.println(byProcess("  of which JIT compiler threads:", fleet, ingest, Sample::jitByProcess));
        System.out.printf(Locale.ROOT, "  %-15s %22s %22s %9s %9s%n", "phase (ingestd)", "wall s", "cpu s", "wall/ref", "cpu/ref");
        List<String> names = ingest.get(0).phases().keySet().stream().toList();
        double convWall = 0;
        double convCpu = 0;
        for (String n : names) {
            List<Double> w = ingest.stream().map(x -> x.phases().getOrDefault(n, new double[2])[0]).toList();
            List<Double> c = ingest.stream().map(x -> x.phases().getOrDefault(n, new double[2])[1]).toList();
            System.out.printf(Locale.ROOT, "  %-15s %22s %22s %9.2f %9.2f%n", n, spread(w), spread(c), median(w) / dw, median(c) / dc);
            if (CONVERSION.contains(n)) {
                convWall += median(w);
                convCpu += median(c);
            }
        }
        if (!names.isEmpty()) {
            // the request's wall beyond ingestd's phases (client -> gateway -> ingestd, the answer back), and the CPU of
            // the other processes (gateway relay, storaged + devs3 storing the upload, catalogd registering)
            List<Double> w = ingest.stream().map(x -> x.wall() - x.phases().values().stream().mapToDouble(v -> v[0]).sum()).toList();
            List<Double> c = ingest.stream().map(x -> x.cpu() - x.phases().values().stream().mapToDouble(v -> v[1]).sum()).toList();
            System.out.printf(Locale.ROOT, "  %-15s %22s %22s %9.2f %9.2f%n", "outside ingestd", spread(w), spread(c),
                    median(w) / dw, median(c) / dc);
            System.out.printf(Locale.ROOT, "  conversion (%s) vs the reference (which sniffs too): throughput ratio wall %.2f, cpu %.2f%n",
                    String.join("+", CONVERSION), dw / convWall, dc / convCpu);
        }
        System.out.printf(Locale.ROOT, "ratio %s ingest/duckdb throughput: wall %.2f (goal >= 0.8) %s, cpu %.2f%n", what,
                dw / gw, dw / gw >= 0.8 ? "OK" : "BELOW GOAL", dc / gc);
        return gw;
    }

    static String byProcess(String what, FleetCpu fleet, List<Sample> samples, java.util.function.Function<Sample, double[]> f) {
        StringBuilder by = new StringBuilder("  ").append(what);
        for (int p = 0; p < fleet.names().size(); p++) {
            int k = p;
            by.append(' ').append(fleet.names().get(p)).append(' ').append(spread(samples.stream().map(x -> f.apply(x)[k]).toList()));
        }
        return by.toString();
    }

    /**
     * The phases that are the conversion proper: what DuckDB's own COPY of the file also does. A streamed conversion
     * (ADR 0047, session 11) adds {@code verify}, and its {@code convert} includes the rest of the body's arrival.
     */
    static final List<String> CONVERSION = List.of("sniff", "checks", "convert", "verify", "exact");

    static void report(String what, int rows, double mib, List<Sample> all) {
        List<Double> w = all.stream().map(Sample::wall).toList();
        double secs = median(w);
        System.out.printf(Locale.ROOT, "  %-24s wall %22s cpu %22s %,12.0f rows/s %7.1f MiB/s%n",
                what, spread(w), spread(all.stream().map(Sample::cpu).toList()), rows / secs, mib / secs);
    }

    static String spread(List<Double> xs) {
        return String.format(Locale.ROOT, "%.3f [%.3f-%.3f]", median(xs), xs.stream().min(Double::compare).orElse(0.0),
                xs.stream().max(Double::compare).orElse(0.0));
    }

    static Sample duckdbCopy(Path csv, Path out) throws SQLException, IOException {
        Files.deleteIfExists(out);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            long cpu = processCpu();
            long t = System.nanoTime();
            s.execute("COPY (SELECT * FROM read_csv('" + csv + "')) TO '" + out + "' (FORMAT parquet, COMPRESSION zstd)");
            return new Sample(secs(System.nanoTime() - t), secs(processCpu() - cpu), Map.of(), new double[0], new double[0],
                    new double[0]);
        }
    }

    static Sample ingest(OkHttpClient http, String gateway, String dataset, Path csv, int rows, String encoding,
            FleetCpu fleet) throws IOException {
        Request.Builder rb = new Request.Builder().url(gateway + "/v1/ingest/" + dataset + "?mode=replace")
                .post(RequestBody.create(csv.toFile(), MediaType.get("text/csv")));
        if (encoding != null) {
            rb.header("Content-Encoding", encoding);
        }
        Request req = rb.build();
        FleetCpu.Reading[] cpu = fleet.each();
        long t = System.nanoTime();
        try (Response r = http.newCall(req).execute()) {
            String body = r.body().string();
            double s = secs(System.nanoTime() - t);
            FleetCpu.Reading[] after = fleet.each();
            double[] by = new double[after.length];
            double[] sys = new double[after.length];
            double[] jit = new double[after.length];
            double c = 0;
            for (int i = 0; i < by.length; i++) {
                by[i] = secs(after[i].total() - cpu[i].total());
                sys[i] = secs(after[i].sys() - cpu[i].sys());
                jit[i] = secs(after[i].jit() - cpu[i].jit());
                c += by[i];
            }
            if (r.code() != 201) {
                throw new IllegalStateException("ingest answered " + r.code() + ": " + body);
            }
            JsonNode m = Json.MAPPER.readTree(body);
            if (m.get("rows").asLong() != rows) {
                throw new IllegalStateException("manifest has " + m.get("rows") + " rows, expected " + rows);
            }
            return new Sample(s, c, phases(r.header("Server-Timing")), by, sys, jit);
        }
    }

    /** ingestd's {@code Server-Timing: spool;dur=712.3;cpu=640.2;tcpu=600.1, …} as name -> {wall s, cpu s}. */
    static Map<String, double[]> phases(String header) {
        Map<String, double[]> out = new LinkedHashMap<>();
        if (header == null) {
            return out;
        }
        for (String entry : header.split(",\\s*")) {
            String[] parts = entry.strip().split(";");
            double[] v = new double[2];
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=", 2);
                if (kv[0].equals("dur")) {
                    v[0] = Double.parseDouble(kv[1]) / 1000;
                } else if (kv[0].equals("cpu")) {
                    v[1] = Double.parseDouble(kv[1]) / 1000;
                }
            }
            out.put(parts[0], v);
        }
        return out;
    }

    static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
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
