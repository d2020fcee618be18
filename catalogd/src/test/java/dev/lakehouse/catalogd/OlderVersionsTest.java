package dev.lakehouse.catalogd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.common.model.ColumnSpec;
import dev.lakehouse.common.model.FileEntry;
import dev.lakehouse.common.model.Manifest;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OlderVersionsTest {
    static Manifest manifest(String ds, int version, int files) {
        List<FileEntry> f = IntStream.range(0, files)
                .mapToObj(i -> new FileEntry("datasets/" + ds + "/" + version + "-" + i + ".parquet", 1, 1, null)).toList();
        return new Manifest(ds, version, List.of(new ColumnSpec("id", "BIGINT")), f, files, Instant.EPOCH, "sha256:" + version);
    }

    @Test
    void boundedByFileEntriesLeastRecentlyUsedOutFirst() {
        OlderVersions kept = new OlderVersions(10);
        kept.put(manifest("a", 1, 4));
        kept.put(manifest("a", 2, 4));
        assertTrue(kept.get("a", 1).isPresent()); // a/1 is now the most recently used
        kept.put(manifest("b", 1, 4)); // 12 files > 10: the least recently used (a/2) goes
        assertTrue(kept.get("a", 2).isEmpty());
        assertTrue(kept.get("a", 1).isPresent());
        assertTrue(kept.get("b", 1).isPresent());
        assertEquals(8L, kept.stats().get("files"));

        kept.put(manifest("c", 1, 11)); // larger than the whole bound: not kept, nothing evicted for it
        assertTrue(kept.get("c", 1).isEmpty());
        assertEquals(2L, kept.stats().get("manifests"));
        kept.put(manifest("b", 1, 11)); // nor does it leave an earlier manifest of the same version behind
        assertTrue(kept.get("b", 1).isEmpty());
        assertEquals(4L, kept.stats().get("files"));
    }

    @Test
    void forgetDropsOneDatasetOnly() {
        OlderVersions kept = new OlderVersions(100);
        kept.put(manifest("a", 1, 2));
        kept.put(manifest("a", 2, 0)); // an empty manifest still counts one
        kept.put(manifest("b", 1, 3));
        kept.forget("a");
        assertTrue(kept.get("a", 1).isEmpty());
        assertTrue(kept.get("a", 2).isEmpty());
        assertEquals(manifest("b", 1, 3), kept.get("b", 1).orElseThrow());
        assertEquals(3L, kept.stats().get("files"));
        assertEquals(1L, kept.stats().get("hits"));
        assertEquals(2L, kept.stats().get("misses"));
    }
}
