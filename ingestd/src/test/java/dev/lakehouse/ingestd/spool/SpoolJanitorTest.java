package dev.lakehouse.ingestd.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolJanitorTest {
    @TempDir
    Path dir;

    private List<String> left() throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
                    .filter(n -> !n.equals(SpoolJanitor.LOCK_FILE)).sorted().toList();
        }
    }

    @Test
    void whatAKilledIngestdLeftInTheSpoolIsRemovedAtStart() throws Exception {
        Files.write(dir.resolve("upload-123.csv"), new byte[1000]);
        Files.write(dir.resolve("0b7e1c2a.parquet"), new byte[500]);
        Files.createDirectories(dir.resolve("duckdb-tmp"));
        Files.write(dir.resolve("duckdb-tmp/duckdb_temp_storage-0.tmp"), new byte[200]);
        try (SpoolJanitor janitor = new SpoolJanitor(dir, Duration.ofHours(6), Clock.systemUTC())) {
            assertEquals(List.of(), left());
        }
    }

    @Test
    void aSecondIngestdOnTheSameSpoolDirIsRefusedRatherThanSweepingLiveFiles() throws Exception {
        try (SpoolJanitor first = new SpoolJanitor(dir, Duration.ofHours(6), Clock.systemUTC())) {
            Files.write(dir.resolve("upload-live.csv"), new byte[10]);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new SpoolJanitor(dir, Duration.ofHours(6), Clock.systemUTC()));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            assertEquals(List.of("upload-live.csv"), left(), "the live file is untouched");
        }
    }

    @Test
    void theSweepRemovesOnlyFilesUntouchedForLongerThanTheMaxAge() throws Exception {
        try (SpoolJanitor janitor = new SpoolJanitor(dir, Duration.ofHours(6), Clock.systemUTC())) {
            Path stale = Files.write(dir.resolve("upload-stale.csv"), new byte[10]);
            Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(7))));
            Path fresh = Files.write(dir.resolve("upload-fresh.csv"), new byte[10]);
            assertEquals(1, janitor.sweep());
            assertFalse(Files.exists(stale));
            assertTrue(Files.exists(fresh));
        }
    }
}
