package dev.lakehouse.vectord.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.json.RecordFormat;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stored sync state is born versioned; the source is validated before any SQL is written from it. */
class SyncStateFormatTest {
    static final DatasetSource SRC = new DatasetSource("cands", "id", List.of("title"), List.of("city"));

    static RowHashes hashes(String... ids) {
        RowHashes.Builder b = new RowHashes.Builder();
        for (String id : ids) {
            b.add(RowHashes.idHash(id), RowHashes.contentHash("text of " + id, "{}"));
        }
        return b.build();
    }

    @Test
    void aStoredStateReadsBackWithItsStampAndIgnoresFieldsOfANewerMinor() throws Exception {
        SyncState s = SyncState.fresh("idx", SRC).synced(3, "abc", 1, 2, 0, hashes("c1", "c2", "c3"));
        String json = new String(SyncState.FORMAT.write(s), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"format\":\"vectord_index_source\"") && json.contains("\"format_version\":\"2.0\""), json);
        String newer = json.replace("\"format_version\":\"2.0\"", "\"format_version\":\"2.7\",\"added_later\":true");
        SyncState back = SyncState.FORMAT.read(newer.getBytes(StandardCharsets.UTF_8), SyncState.class);
        assertEquals(3, back.datasetVersion());
        assertEquals(3, back.rowHashes().size());
        assertEquals(RowHashes.contentHash("text of c2", "{}"), back.rowHashes().content(RowHashes.idHash("c2")));
        assertEquals(null, back.rowHashes().content(RowHashes.idHash("c4")));
        assertEquals("title", back.source().textColumns().get(0));
        assertTrue(back.reflects(3, "abc"));
    }

    @Test
    void aVersionOneStateWithItsIdToHexMapIsReadIntoRowHashes() throws Exception {
        String hex = "00112233445566778899aabbccddeeff"; // 1.0 stored SHA-256's first 16 bytes in hex
        String v1 = "{\"format\":\"vectord_index_source\",\"format_version\":\"1.0\",\"index\":\"idx\","
                + "\"source\":{\"dataset\":\"cands\",\"id_column\":\"id\",\"text_columns\":[\"title\"],\"metadata_columns\":[]},"
                + "\"dataset_version\":2,\"status\":\"in_sync\",\"skipped_rows\":0,\"embedded\":1,\"removed\":0,\"rows\":{\"c1\":\"" + hex + "\"}}";
        SyncState back = SyncState.FORMAT.read(v1.getBytes(StandardCharsets.UTF_8), SyncState.class);
        assertEquals(1, back.rowHashes().size());
        assertEquals(0x0011223344556677L, back.rowHashes().content(RowHashes.idHash("c1")));
        assertTrue(new String(SyncState.FORMAT.write(back), StandardCharsets.UTF_8).contains("\"format_version\":\"2.0\""));
    }

    @Test
    void damagedRowHashesFailTheReadInsteadOfLookingLikeNoRows() {
        String json = new String(SyncState.FORMAT.write(SyncState.fresh("idx", SRC).synced(3, "abc", 0, 2, 0, hashes("c1", "c2"))),
                StandardCharsets.UTF_8);
        String damaged = json.replaceFirst("\"crc32\":\\d+", "\"crc32\":1");
        assertTrue(!damaged.equals(json), json);
        assertThrows(java.io.IOException.class,
                () -> SyncState.FORMAT.read(damaged.getBytes(StandardCharsets.UTF_8), SyncState.class));
    }

    @Test
    void rowHashesHoldSixteenBytesARowAndFindEveryRowAmongAHundredThousand() {
        RowHashes.Builder b = new RowHashes.Builder();
        for (int i = 0; i < 100_000; i++) {
            b.add(RowHashes.idHash("row-" + i), i);
        }
        RowHashes h = b.build();
        assertTrue(h.memoryBytes() <= 32 + 16L * 100_000, "bytes: " + h.memoryBytes());
        for (int i = 0; i < 100_000; i += 997) {
            assertEquals(i, h.content(RowHashes.idHash("row-" + i)));
        }
        assertTrue(!h.contains(RowHashes.idHash("row-100000")));
    }

    @Test
    void aStateOfANewerMajorIsRefusedNotMisread() {
        String json = new String(SyncState.FORMAT.write(SyncState.fresh("idx", SRC)), StandardCharsets.UTF_8)
                .replace("\"format_version\":\"2.0\"", "\"format_version\":\"3.0\"");
        assertThrows(RecordFormat.UnsupportedFormatException.class,
                () -> SyncState.FORMAT.read(json.getBytes(StandardCharsets.UTF_8), SyncState.class));
    }

    @Test
    void columnNamesAreQuotedIdentifiersAndADatasetNameThatIsNotOneIsRefused() {
        DatasetSource odd = new DatasetSource("cands", "id", List.of("we\"ird"), List.of());
        assertEquals("SELECT \"id\", \"we\"\"ird\" FROM cands ORDER BY \"id\"", odd.validated().sql());
        BadRequest bad = assertThrows(BadRequest.class,
                () -> new DatasetSource("x; DROP", "id", List.of("t"), List.of()).validated());
        assertEquals("bad_index_source", bad.code());
    }
}
