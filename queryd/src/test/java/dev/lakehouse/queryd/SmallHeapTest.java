package dev.lakehouse.queryd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.common.config.Service;
import dev.lakehouse.testkit.S3Extension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * queryd in a JVM of its own with a 96 MiB heap: big answers, several at once, must not take its heap. (JDBC's
 * row reader made Java strings of each 2,048-row chunk: 8 exports of 300 values of 100 KB needed ~240 MB of heap.)
 */
class SmallHeapTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final Lake LAKE = new Lake(S3);

    @Test
    void bigAnswersAtOnceNeitherKillQuerydNorTakeItsHeap() throws Exception {
        String url = LAKE.fleet.startChild(Service.QUERYD, QuerydMain.class, Map.of("queryd.duckdb_memory_limit", "1GB"),
                List.of("-Xmx96m", "--add-opens=java.base/java.nio=ALL-UNNAMED")) + "/sql"; // the flag the jar's manifest has
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
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
            assertTrue(LAKE.fleet.running(Service.QUERYD), "queryd is still running");
            assertEquals(200, Http.post(url, "SELECT 1", "text/plain", null).code());
        } finally {
            pool.shutdownNow();
            // its log is kept beside the test reports
            Files.copy(LAKE.fleet.log(Service.QUERYD), Path.of("target", "small-heap-queryd.log"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
