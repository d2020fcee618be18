package dev.lakehouse.vectord.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.json.RecordFormat;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stored sync state is born versioned; the source is validated before any SQL is written from it. */
class SyncStateFormatTest {
    static final DatasetSource SRC = new DatasetSource("cands", "id", List.of("title"), List.of("city"));

    @Test
    void aStoredStateReadsBackWithItsStampAndIgnoresFieldsOfANewerMinor() throws Exception {
        SyncState s = SyncState.fresh("idx", SRC).synced(3, "abc", 1, 2, 0, Map.of("c1", "h1"));
        String json = new String(SyncState.FORMAT.write(s), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"format\":\"vectord_index_source\"") && json.contains("\"format_version\":\"1.0\""), json);
        String newer = json.replace("\"format_version\":\"1.0\"", "\"format_version\":\"1.7\",\"added_later\":true");
        SyncState back = SyncState.FORMAT.read(newer.getBytes(StandardCharsets.UTF_8), SyncState.class);
        assertEquals(3, back.datasetVersion());
        assertEquals(Map.of("c1", "h1"), back.rows());
        assertEquals("title", back.source().textColumns().get(0));
        assertTrue(back.reflects(3, "abc"));
    }

    @Test
    void aStateOfANewerMajorIsRefusedNotMisread() {
        String json = new String(SyncState.FORMAT.write(SyncState.fresh("idx", SRC)), StandardCharsets.UTF_8)
                .replace("\"format_version\":\"1.0\"", "\"format_version\":\"2.0\"");
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
