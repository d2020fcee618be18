package dev.lakehouse.catalogd.erasure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.common.json.RecordFormat;
import dev.lakehouse.common.model.FileEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The erasure's stored records are stamped, read tolerantly within their major, and refused beyond it. */
class ErasureRecordsTest {
    static ErasureIntent intent() {
        ErasureIntent in = new ErasureIntent();
        in.id = "5740078d-4163-4841-8865-9f678affa478";
        in.subject = "DSR-1";
        in.requestedBy = "anonymous";
        in.requestedAt = Instant.parse("2026-12-01T12:00:00Z");
        in.state = ErasureIntent.IN_PROGRESS;
        ErasureIntent.DatasetPart p = new ErasureIntent.DatasetPart();
        p.predicate = "id = 'c-2'";
        p.predicateSha256 = Eraser.sha256(p.predicate);
        p.replacements.put("datasets/people/a.parquet", new FileEntry("datasets/people/erased-x.parquet", 2, 300, "e1"));
        in.datasets.put("people", p);
        return in;
    }

    @Test
    void anIntentIsWrittenStampedAndReadBackWithItsReplacements() throws Exception {
        byte[] bytes = ErasureStore.INTENT.write(intent());
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{\"format\":\"erasure_intent\",\"format_version\":\"1.1\""), text);
        ErasureIntent back = ErasureStore.INTENT.read(bytes, ErasureIntent.class);
        assertEquals("DSR-1", back.subject);
        assertEquals("datasets/people/erased-x.parquet", back.datasets.get("people").replacements
                .get("datasets/people/a.parquet").key());
    }

    @Test
    void aNewerMinorWithAnUnknownFieldIsReadAndANewerMajorIsRefused() throws Exception {
        String text = new String(ErasureStore.INTENT.write(intent()), StandardCharsets.UTF_8);
        String newerMinor = text.replace("\"format_version\":\"1.1\"", "\"format_version\":\"1.3\",\"priority\":\"high\"");
        assertEquals("in_progress", ErasureStore.INTENT.read(newerMinor.getBytes(StandardCharsets.UTF_8),
                ErasureIntent.class).state);
        String newerMajor = text.replace("\"format_version\":\"1.1\"", "\"format_version\":\"2.0\"");
        assertThrows(RecordFormat.UnsupportedFormatException.class,
                () -> ErasureStore.INTENT.read(newerMajor.getBytes(StandardCharsets.UTF_8), ErasureIntent.class));
    }

    @Test
    void aRewrittenFilesKeyIsTheSameOnEveryAttemptAndLiesUnderItsDataset() {
        String a = Eraser.targetKey("5740078d-4163-4841-8865-9f678affa478", "people", "datasets/people/a.parquet");
        assertEquals(a, Eraser.targetKey("5740078d-4163-4841-8865-9f678affa478", "people", "datasets/people/a.parquet"));
        assertTrue(a.startsWith("datasets/people/erased-5740078d-4163-4841-8865-9f678affa478-") && a.endsWith(".parquet"), a);
        assertTrue(!a.equals(Eraser.targetKey("5740078d-4163-4841-8865-9f678affa478", "people", "datasets/people/b.parquet")));
    }

    @Test
    void aLogEntryIsStampedAsItsOwnFormat() throws Exception {
        byte[] bytes = ErasureStore.LOG_ENTRY.write(Map.of("erasure_id", "x", "subject", "DSR-1"));
        assertThrows(RecordFormat.UnsupportedFormatException.class, () -> ErasureStore.INTENT.read(bytes, ErasureIntent.class));
    }
}
