package dev.lakehouse.ingestd.pipeline;

import dev.lakehouse.common.StorageLayout;
import dev.lakehouse.common.client.CatalogClient;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.concurrent.Daemons;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.error.ApiException;
import dev.lakehouse.common.error.NotFound;
import dev.lakehouse.common.json.RecordFormat;
import dev.lakehouse.common.model.ObjectInfo;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A journal of uploads whose registration is not yet known to have landed, so that no crash (of ingestd
 * between upload and register, or of catalogd after writing a manifest but before answering) leaves an
 * orphan Parquet file or a manifest pointing at a deleted one.
 *
 * <p>Before the upload an intent {@code _ingest/pending/{id}.json} names the file; it is removed once the
 * outcome is known. A janitor resolves intents left behind (at start and then periodically, once older
 * than a grace period): if some manifest version references the file, the intent goes; if catalogd positively
 * confirms that none of the versions it keeps does, the file and the intent go. On any other answer (catalogd
 * unreachable, a bare 404, a peer that is not catalogd) nothing is decided.
 */
public final class PendingUploads implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PendingUploads.class);
    record Intent(String dataset, String key, Instant createdAt) {}

    /** Intents are stamped records, read tolerantly (a newer ingestd may add fields). */
    static final RecordFormat INTENT = RecordFormat.of("ingest_intent", 1, 0);

    enum Outcome { REGISTERED, NOT_REGISTERED, UNKNOWN }

    private final StorageClient storage;
    private final CatalogClient catalog;
    private final Duration grace;
    private final ScheduledExecutorService janitor = Daemons.scheduler("ingest-janitor");

    public PendingUploads(StorageClient storage, CatalogClient catalog, Duration grace) {
        this.storage = storage;
        this.catalog = catalog;
        this.grace = grace;
    }

    static String intentKey(String dataFileKey) {
        String id = dataFileKey.substring(dataFileKey.lastIndexOf('/') + 1).replace(".parquet", "");
        return StorageLayout.INGEST_PENDING_PREFIX + id + ".json";
    }

    public void record(String dataset, String key) {
        storage.put(intentKey(key), INTENT.write(new Intent(dataset, key, Instant.now())));
    }

    public void clear(String key) {
        storage.delete(intentKey(key));
    }

    /**
     * Whether some version the catalog keeps references {@code key}. NOT_REGISTERED only on a positive answer:
     * catalogd's own "not referenced" code, from a peer whose /health says it is catalogd. A bare 404 (a
     * misrouted {@code catalogd.url}), a 5xx or a timeout is UNKNOWN, and nothing is deleted on it.
     */
    Outcome outcome(String dataset, String key) {
        try {
            if (catalog.firstVersionReferencing(dataset, key).isPresent()) {
                return Outcome.REGISTERED;
            }
            String peer = catalog.peerService();
            if (!Service.CATALOGD.id().equals(peer)) {
                log.warn("catalogd.url answers as '{}', not catalogd: upload {} left for later", peer, key);
                return Outcome.UNKNOWN;
            }
            return Outcome.NOT_REGISTERED;
        } catch (ApiException e) {
            return Outcome.UNKNOWN; // catalogd down, busy, misrouted or unsure: decide later
        }
    }

    /** Resolves an intent whose outcome is now known; leaves it for later otherwise. */
    boolean resolve(String dataset, String key) {
        Outcome o = outcome(dataset, key);
        switch (o) {
            case REGISTERED -> clear(key);
            case NOT_REGISTERED -> {
                storage.delete(key);
                clear(key);
                log.info("removed unregistered upload {} of {}", key, dataset);
            }
            case UNKNOWN -> {
                return false;
            }
        }
        return true;
    }

    /** One janitor pass over intents older than the grace period; returns how many were resolved. */
    public int sweep() {
        int resolved = 0;
        for (ObjectInfo o : storage.listAll(StorageLayout.INGEST_PENDING_PREFIX)) {
            try {
                Intent intent = INTENT.read(storage.getBytes(o.key()), Intent.class);
                if (intent.createdAt().plus(grace).isAfter(Instant.now())) {
                    continue; // may still be in flight
                }
                if (resolve(intent.dataset(), intent.key())) {
                    resolved++;
                }
            } catch (NotFound gone) {
                // resolved by someone else meanwhile
            } catch (IOException | RuntimeException e) {
                log.warn("pending upload {} not resolved this round: {}", o.key(), e.toString());
            }
        }
        return resolved;
    }

    public void startJanitor(Duration every) {
        janitor.scheduleWithFixedDelay(() -> {
            try {
                int n = sweep();
                if (n > 0) {
                    log.info("janitor resolved {} pending upload(s)", n);
                }
            } catch (RuntimeException e) {
                log.debug("janitor pass skipped: {}", e.toString()); // storaged down: next round
            }
        }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        janitor.shutdownNow();
    }
}
