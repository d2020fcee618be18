package dev.lakehouse.catalogd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.json.RecordFormat;
import dev.lakehouse.common.model.ColumnSpec;
import dev.lakehouse.common.model.FileEntry;
import dev.lakehouse.common.model.Manifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** catalogd's stored records are stamped, and a newer minor version with added fields reads with today's reader. */
class StoredRecordsTest {
    @Test
    void aManifestIsStoredWithItsFormatVersionAndReadsBack() throws IOException {
        Manifest m = new Manifest("people", 2, List.of(new ColumnSpec("id", "BIGINT")),
                List.of(new FileEntry("datasets/people/a.parquet", 3, 100, "e")), 3, Instant.parse("2026-01-01T00:00:00Z"), "h");
        byte[] stored = ManifestStore.MANIFEST.write(m);
        JsonNode n = Json.MAPPER.readTree(stored);
        assertEquals("manifest", n.get("format").asText());
        assertEquals("1.0", n.get("format_version").asText());
        assertEquals(m, ManifestStore.MANIFEST.read(stored, Manifest.class));
    }

    @Test
    void aManifestOfANewerMinorVersionWithExtraFieldsIsReadByTodaysReader() throws IOException {
        String newer = "{\"format\":\"manifest\",\"format_version\":\"1.3\",\"dataset\":\"people\",\"version\":2,"
                + "\"schema\":[{\"name\":\"id\",\"type\":\"BIGINT\",\"nullable\":true}],"
                + "\"files\":[{\"key\":\"datasets/people/a.parquet\",\"rows\":3,\"bytes\":100,\"etag\":\"e\",\"min\":{}}],"
                + "\"rows\":3,\"created_at\":\"2026-01-01T00:00:00Z\",\"content_hash\":\"h\",\"dialect\":{\"delimiter\":\";\"}}";
        Manifest m = ManifestStore.MANIFEST.read(newer.getBytes(StandardCharsets.UTF_8), Manifest.class);
        assertEquals(2, m.version());
        assertEquals(3, m.files().get(0).rows());
    }

    @Test
    void aManifestStoredBeforeStampingStillReads() throws IOException {
        String old = "{\"dataset\":\"people\",\"version\":1,\"schema\":[],\"files\":[],\"rows\":0,"
                + "\"created_at\":\"2026-01-01T00:00:00Z\",\"content_hash\":\"h\"}";
        assertEquals(1, ManifestStore.MANIFEST.read(old.getBytes(StandardCharsets.UTF_8), Manifest.class).version());
    }

    @Test
    void aManifestOfANewerMajorVersionIsRefusedNotMisread() {
        String v2 = "{\"format\":\"manifest\",\"format_version\":\"2.0\",\"dataset\":\"people\"}";
        assertThrows(RecordFormat.UnsupportedFormatException.class,
                () -> ManifestStore.MANIFEST.read(v2.getBytes(StandardCharsets.UTF_8), Manifest.class));
    }

    @Test
    void aTombstoneOfANewerMinorVersionWithExtraFieldsIsReadByTodaysReader() throws IOException {
        String newer = "{\"format\":\"catalog_tombstone\",\"format_version\":\"1.1\",\"dataset\":\"people\","
                + "\"through_version\":4,\"deleted_at\":\"2026-01-01T00:00:00Z\",\"reason\":\"erasure\"}";
        ManifestStore.Tombstone t = ManifestStore.TOMBSTONE_FORMAT.read(newer.getBytes(StandardCharsets.UTF_8),
                ManifestStore.Tombstone.class);
        assertEquals(4, t.throughVersion());
    }
}
