package dev.lakehouse.ingestd.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class IntentRecordTest {
    @Test
    void anIntentOfANewerMinorVersionWithExtraFieldsIsReadByTodaysReader() throws IOException {
        String newer = "{\"format\":\"ingest_intent\",\"format_version\":\"1.4\",\"dataset\":\"people\","
                + "\"key\":\"datasets/people/x.parquet\",\"created_at\":\"2026-01-01T00:00:00Z\",\"idempotency_key\":\"k1\"}";
        PendingUploads.Intent i = PendingUploads.INTENT.read(newer.getBytes(StandardCharsets.UTF_8), PendingUploads.Intent.class);
        assertEquals(new PendingUploads.Intent("people", "datasets/people/x.parquet", Instant.parse("2026-01-01T00:00:00Z")), i);
    }
}
