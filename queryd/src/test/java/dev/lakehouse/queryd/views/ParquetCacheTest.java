package dev.lakehouse.queryd.views;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.common.error.BadGateway;
import dev.lakehouse.common.model.FileEntry;
import dev.lakehouse.testkit.S3Extension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/** The local cache against the real embedded S3: fetch once, LRU within the bound, pins never evicted. */
class ParquetCacheTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();

    static FileEntry put(String key, int size) {
        byte[] bytes = new byte[size];
        new Random(key.hashCode()).nextBytes(bytes);
        var r = S3.client().putObject(PutObjectRequest.builder().bucket(S3.bucket()).key(key).build(),
                RequestBody.fromBytes(bytes));
        return new FileEntry(key, 1, size, r.eTag().replace("\"", ""));
    }

    ParquetCache cache(Path dir, long max) {
        return new ParquetCache(dir, max, S3.client(), S3.bucket());
    }

    @Test
    void aDeletedDatasetsFilesGoAtOnceOrWhenTheLastQueryReadingThemEnds() throws Exception {
        FileEntry a = put("datasets/del/a.parquet", 1_000);
        FileEntry b = put("datasets/del/b.parquet", 1_000);
        FileEntry kept = put("datasets/other/k.parquet", 1_000);
        ParquetCache c = cache(S3.tempDir().resolve("cdel"), 1 << 20);
        c.acquire("del", List.of(a)).close();
        c.acquire("other", List.of(kept)).close();
        Path pathA;
        Path pathB;
        try (var running = c.acquire("del", List.of(b))) {
            pathB = running.paths().get(0);
            pathA = c.dir().resolve(ParquetCache.nameOf(a));
            c.evictDataset("del");
            assertFalse(Files.exists(pathA), "unpinned: deleted at once");
            assertTrue(Files.exists(pathB), "a running query still reads it");
        }
        assertFalse(Files.exists(pathB), "deleted when the query ended");
        assertTrue(c.contains(kept), "another dataset's file stays");
        assertEquals(java.util.Set.of("other"), c.datasets());
    }

    @Test
    void fetchesOnceAndServesTheSameBytes() throws Exception {
        FileEntry f = put("datasets/a/1.parquet", 10_000);
        ParquetCache c = cache(S3.tempDir().resolve("c1"), 1 << 20);
        Path first;
        try (var lease = c.acquire("ds", List.of(f))) {
            first = lease.paths().get(0);
            assertTrue(first.startsWith(c.dir()));
            byte[] s3bytes = S3.client().getObjectAsBytes(b -> b.bucket(S3.bucket()).key(f.key())).asByteArray();
            assertArrayEquals(s3bytes, Files.readAllBytes(first));
        }
        try (var lease = c.acquire("ds", List.of(f))) {
            assertEquals(first, lease.paths().get(0));
        }
        assertEquals(1L, c.stats().get("downloads"));
        assertEquals(1L, c.stats().get("hits"));
    }

    @Test
    void evictsLeastRecentlyUsedButNeverAPinnedFile() throws Exception {
        FileEntry a = put("datasets/b/a.parquet", 40_000);
        FileEntry b = put("datasets/b/b.parquet", 40_000);
        FileEntry d = put("datasets/b/d.parquet", 40_000);
        ParquetCache c = cache(S3.tempDir().resolve("c2"), 100_000);
        c.acquire("ds", List.of(a)).close();
        c.acquire("ds", List.of(b)).close();
        c.acquire("ds", List.of(a)).close(); // a is now more recent than b
        c.acquire("ds", List.of(d)).close(); // 120 000 > bound: the LRU (b) goes
        assertTrue(c.contains(a));
        assertFalse(c.contains(b));
        assertTrue(c.contains(d));
        assertTrue(c.bytes() <= 100_000);

        try (var pinA = c.acquire("ds", List.of(a)); var pinD = c.acquire("ds", List.of(d))) {
            Path pa = pinA.paths().get(0);
            try (var pinB = c.acquire("ds", List.of(b))) {
                // all three pinned: over the bound, but nothing a query reads is deleted
                assertEquals(120_000, c.bytes());
                assertTrue(Files.exists(pa));
                assertTrue(Files.exists(pinB.paths().get(0)));
            }
            // b released: it is now the least recently used unpinned file, so it goes
            assertFalse(c.contains(b));
            assertTrue(Files.exists(pa));
        }
        assertEquals(80_000, c.bytes());
        assertEquals(2L, c.stats().get("evictions"));
    }

    @Test
    void concurrentRequestsForOneFileShareOneDownload() throws Exception {
        FileEntry big = put("datasets/c/big.parquet", 4 << 20);
        ParquetCache c = cache(S3.tempDir().resolve("c3"), 64 << 20);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Long>> fs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                fs.add(pool.submit(() -> {
                    try (var lease = c.acquire("ds", List.of(big))) {
                        return Files.size(lease.paths().get(0));
                    }
                }));
            }
            for (Future<Long> f : fs) {
                assertEquals(4 << 20, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1L, c.stats().get("downloads"));
        assertEquals(0L, c.stats().get("pinned"));
    }

    @Test
    void aRestartAdoptsCachedFilesAndDropsPartialOnes() throws Exception {
        FileEntry f = put("datasets/d/1.parquet", 5_000);
        Path dir = S3.tempDir().resolve("c4");
        cache(dir, 1 << 20).acquire("ds", List.of(f)).close();
        Files.writeString(dir.resolve("leftover.parquet.1234.part"), "half a download");
        ParquetCache again = cache(dir, 1 << 20);
        assertTrue(again.contains(f));
        assertFalse(Files.exists(dir.resolve("leftover.parquet.1234.part")));
        again.acquire("ds", List.of(f)).close();
        assertEquals(0L, again.stats().get("downloads"), "no second fetch after restart");
    }

    @Test
    void aMissingObjectFailsCleanlyAndLeavesNothingBehind() throws Exception {
        Path dir = S3.tempDir().resolve("c5");
        ParquetCache c = cache(dir, 1 << 20);
        FileEntry ok = put("datasets/e/ok.parquet", 1_000);
        FileEntry gone = new FileEntry("datasets/e/gone.parquet", 1, 1, "abc");
        assertThrows(BadGateway.class, () -> c.acquire("ds", List.of(ok, gone)));
        assertFalse(c.contains(gone));
        assertEquals(0L, c.stats().get("pinned"), "the lease of the file fetched before the failure was released");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".part")));
        }
    }
}
