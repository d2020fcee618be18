package dev.lakehouse.queryd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.testkit.S3Extension;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * queryd in a JVM of its own with a 96 MiB heap: big answers, several at once, must not take its heap. (JDBC's
 * row reader made Java strings of each 2,048-row chunk: 8 exports of 300 values of 100 KB needed ~240 MB of heap.)
 */
class SmallHeapTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();

    @Test
    void bigAnswersAtOnceNeitherKillQuerydNorTakeItsHeap() throws Exception {
        try (Lake lake = new Lake(S3).start()) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx96m", "--add-opens=java.base/java.nio=ALL-UNNAMED", // as the jar's manifest has it
                    "-cp", System.getProperty("java.class.path"), QuerydMain.class.getName());
            Map<String, String> env = pb.environment();
            env.put("LAKEHOUSE_QUERYD_PORT", Integer.toString(port));
            env.put("LAKEHOUSE_CATALOGD_URL", lake.catalogd.baseUrl());
            env.put("LAKEHOUSE_SECRETS_FILE", S3.secretsFile().toString());
            env.put("LAKEHOUSE_DATA_DIR", S3.tempDir().resolve("small-heap").toString());
            env.put("LAKEHOUSE_QUERYD_DUCKDB_MEMORY_LIMIT", "1GB");
            // its log is kept beside the test reports
            pb.redirectErrorStream(true).redirectOutput(Path.of("target", "small-heap-queryd.log").toFile());
            Process queryd = pb.start();
            String url = "http://127.0.0.1:" + port + "/sql";
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                awaitUp(port, queryd);
                List<Future<Http.Reply>> exports = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    exports.add(pool.submit(() -> Http.post(url,
                            "SELECT range AS n, repeat('x', 100000) AS s FROM range(300)", "text/plain", "text/csv")));
                }
                Http.Reply huge = Http.post(url, "SELECT repeat('x', 1000000) FROM range(2000)", "text/plain", null);
                assertTrue(huge.code() == 413 || huge.code() == 507, huge.code() + " " + huge.text());
                for (Future<Http.Reply> f : exports) {
                    Http.Reply r = f.get(120, TimeUnit.SECONDS);
                    assertEquals(200, r.code(), r.text());
                    assertEquals(1 + 300 * (100_000 + 5), r.body().length, 100_000, "every row, whole");
                    assertEquals(301, r.text().split("\n").length);
                }
                assertTrue(queryd.isAlive(), "queryd is still running");
                assertEquals(200, Http.post(url, "SELECT 1", "text/plain", null).code());
            } finally {
                pool.shutdownNow();
                queryd.destroy();
                queryd.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    private static void awaitUp(int port, Process p) throws InterruptedException {
        for (int i = 0; i < 600 && p.isAlive(); i++) {
            try (Response r = Lake.HTTP.newCall(new Request.Builder().url("http://127.0.0.1:" + port + "/health").build()).execute()) {
                if (r.code() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("queryd did not start");
    }
}
