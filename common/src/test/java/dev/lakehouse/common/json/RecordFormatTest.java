package dev.lakehouse.common.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecordFormatTest {
    record Intent(String dataset, String key, Instant createdAt) {}

    static final RecordFormat FORMAT = RecordFormat.of("ingest_intent", 1, 0);

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRecordIsWrittenWithItsFormatNameAndVersion() throws IOException {
        JsonNode n = Json.MAPPER.readTree(FORMAT.write(new Intent("people", "datasets/people/a.parquet", Instant.EPOCH)));
        assertEquals("ingest_intent", n.get("format").asText());
        assertEquals("1.0", n.get("format_version").asText());
        assertEquals("people", n.get("dataset").asText());
    }

    @Test
    void aNewerMinorVersionWithAnExtraFieldIsReadByTodaysReader() throws IOException {
        Intent i = FORMAT.read(utf8("{\"format\":\"ingest_intent\",\"format_version\":\"1.7\",\"dataset\":\"people\","
                + "\"key\":\"k\",\"created_at\":\"2026-01-01T00:00:00Z\",\"added_in_1_7\":{\"x\":1}}"), Intent.class);
        assertEquals(new Intent("people", "k", Instant.parse("2026-01-01T00:00:00Z")), i);
    }

    @Test
    void aRecordWrittenBeforeStampingReadsAsOnePointZero() throws IOException {
        Intent i = FORMAT.read(utf8("{\"dataset\":\"people\",\"key\":\"k\",\"created_at\":\"2026-01-01T00:00:00Z\"}"), Intent.class);
        assertEquals("people", i.dataset());
    }

    @Test
    void aNewerMajorVersionIsRefusedSayingWhichVersionsThisBuildReads() {
        IOException e = assertThrows(RecordFormat.UnsupportedFormatException.class, () -> FORMAT.read(
                utf8("{\"format\":\"ingest_intent\",\"format_version\":\"2.0\",\"dataset\":\"p\"}"), Intent.class));
        assertTrue(e.getMessage().contains("2.0") && e.getMessage().contains("1.x"), e.getMessage());
    }

    @Test
    void anotherFormatsRecordIsRefused() {
        assertThrows(RecordFormat.UnsupportedFormatException.class, () -> FORMAT.read(
                utf8("{\"format\":\"manifest\",\"format_version\":\"1.0\"}"), Intent.class));
    }

    @Test
    void userInputStaysStrictWhilePeersAndStoredRecordsAreReadTolerantly() {
        String withExtra = "{\"dataset\":\"p\",\"key\":\"k\",\"created_at\":\"2026-01-01T00:00:00Z\",\"new\":1}";
        assertThrows(IOException.class, () -> Json.MAPPER.readValue(withExtra, Intent.class));
        assertEquals("p", assertDoesNotThrow(() -> Json.TOLERANT.readValue(withExtra, Intent.class)).dataset());
    }

    private static <T> T assertDoesNotThrow(org.junit.jupiter.api.function.ThrowingSupplier<T> s) {
        return org.junit.jupiter.api.Assertions.assertDoesNotThrow(s);
    }
}
