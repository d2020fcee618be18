package dev.lakehouse.ingestd.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.client.CatalogClient;
import dev.lakehouse.common.error.ApiException;
import dev.lakehouse.common.idempotency.IdempotencyRecord;
import dev.lakehouse.common.idempotency.IdempotencyStore;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.model.Manifest;
import dev.lakehouse.ingestd.format.BodyFormat;
import dev.lakehouse.ingestd.format.Phases;
import dev.lakehouse.ingestd.pipeline.Ingester;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests carrying an {@code Idempotency-Key}: a retry of one whose answer was lost returns the original
 * manifest instead of appending the rows again (1 in ~140 kills of catalogd or ingestd duplicated rows).
 *
 * <p>Before the work, a PENDING record names the data file the ingest will write. A retry that finds it asks
 * catalogd whether some version references that file (the lookup ingestd's janitor uses): if so, the first
 * attempt landed and its manifest is the answer; if catalogd positively says no, the ingest runs again; if it
 * cannot tell, 503 and the client retries later. A DONE record replays status and manifest directly.
 */
public final class IdempotentIngests {
    private static final Logger log = LoggerFactory.getLogger(IdempotentIngests.class);
    public static final String SCOPE = "ingest";
    private static final String PLANNED_FILE = "file";

    private final Ingester ingester;
    private final CatalogClient catalog;
    private final IdempotencyStore store;

    public IdempotentIngests(Ingester ingester, CatalogClient catalog, IdempotencyStore store) {
        this.ingester = ingester;
        this.catalog = catalog;
        this.store = store;
    }

    /** An answer: status and manifest, and whether it replays an earlier request's. */
    record Answer(int status, JsonNode manifest, boolean replayed) {}

    /** Dataset, mode, the query string (format and dialect options are part of the request) and the decoded body. */
    public static String requestHash(String dataset, Ingester.Mode mode, String query, String contentType, byte[] bodySha256) {
        return IdempotencyStore.hash(dataset.getBytes(StandardCharsets.UTF_8), mode.name().getBytes(StandardCharsets.UTF_8),
                String.valueOf(query).getBytes(StandardCharsets.UTF_8),
                (contentType == null ? "" : contentType.split(";")[0].strip().toLowerCase(java.util.Locale.ROOT))
                        .getBytes(StandardCharsets.UTF_8),
                bodySha256);
    }

    Answer ingest(String dataset, Ingester.Mode mode, BodyFormat format, Path csv, String key, String requestHash,
            Phases phases) throws IOException {
        try (IdempotencyStore.Claim claim = store.claim(SCOPE, key)) {
            IdempotencyRecord found = store.find(SCOPE, key, requestHash).orElse(null);
            if (found != null && found.state() == IdempotencyRecord.State.DONE) {
                return new Answer(found.status(), found.body(), true);
            }
            if (found != null && found.plan().containsKey(PLANNED_FILE)) {
                OptionalInt landed = catalog.firstVersionReferencing(dataset, found.plan().get(PLANNED_FILE));
                if (landed.isPresent()) {
                    Manifest m = catalog.version(dataset, landed.getAsInt());
                    store.done(found, 201, m);
                    log.info("ingest retry with a known key: v{} of {} had landed, answered again", m.version(), dataset);
                    return new Answer(201, Json.MAPPER.valueToTree(m), true);
                }
            }
            String file = Ingester.newFileKey(dataset);
            IdempotencyRecord pending = store.pending(SCOPE, key, requestHash, Map.of(PLANNED_FILE, file, "dataset", dataset));
            try {
                Ingester.Result r = ingester.ingest(dataset, mode, format, csv, file, phases);
                int status = r.registration().created() ? 201 : 200;
                Object answer = Formats.answer(r);
                store.done(pending, status, answer);
                return new Answer(status, Json.MAPPER.valueToTree(answer), false);
            } catch (ApiException e) {
                if (e.status() < 500) {
                    store.forget(SCOPE, key); // refused: nothing registered, and a retry should be judged afresh
                }
                throw e;
            }
        }
    }
}
