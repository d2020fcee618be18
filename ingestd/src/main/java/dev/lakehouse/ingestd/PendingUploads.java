package dev.lakehouse.ingestd;

import dev.lakehouse.common.StorageLayout;
import dev.lakehouse.common.client.CatalogClient;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.error.ApiException;
import dev.lakehouse.common.error.NotFound;
import dev.lakehouse.common.json.RecordFormat;
import dev.lakehouse.common.model.FileEntry;
import dev.lakehouse.common.model.Manifest;
import dev.lakehouse.common.model.ObjectInfo;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
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
 * than a grace period): if some manifest version references the file, the intent goes; if the dataset's
 * catalog answers and none does, the file and the intent go. While catalogd is unreachable, nothing is
 * decided.
 */
final class PendingUploads implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PendingUploads.class);
    /** How many versions back from the latest a pending file is looked for. */
    private static final int VERSIONS_TO_CHECK = 32;

    record Intent(String dataset, String key, Instant createdAt) {}

    /** Intents are stamped records, read tolerantly (a newer ingestd may add fields). */
    static final RecordFormat INTENT = RecordFormat.of("ingest_intent", 1, 0);

    enum Outcome { REGISTERED, NOT_REGISTERED, UNKNOWN }

    private final StorageClient storage;
    private final CatalogClient catalog;
    private final Duration grace;
    private final ScheduledExecutorService janitor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ingest-janitor");
        t.setDaemon(true);
        return t;
    });

    PendingUploads(StorageClient storage, CatalogClient catalog, Duration grace) {
        this.storage = storage;
        this.catalog = catalog;
        this.grace = grace;
    }

    static String intentKey(String dataFileKey) {
        String id = dataFileKey.substring(dataFileKey.lastIndexOf('/') + 1).replace(".parquet", "");
        return StorageLayout.INGEST_PENDING_PREFIX + id + ".json";
    }

    void record(String dataset, String key) {
        storage.put(intentKey(key), INTENT.write(new Intent(dataset, key, Instant.now())));
    }

    void clear(String key) {
        storage.delete(intentKey(key));
    }

    /** Whether the catalog references {@code key} in one of the dataset's recent versions. */
    Outcome outcome(String dataset, String key) {
        try {
            Optional<Manifest> latest = catalog.latest(dataset);
            if (latest.isEmpty()) {
                return Outcome.NOT_REGISTERED;
            }
            int top = latest.get().version();
            for (int v = top; v >= Math.max(1, top - VERSIONS_TO_CHECK + 1); v--) {
                Manifest m = v == top ? latest.get() : catalog.version(dataset, v);
                if (m.files().stream().map(FileEntry::key).anyMatch(key::equals)) {
                    return Outcome.REGISTERED;
                }
            }
            return Outcome.NOT_REGISTERED;
        } catch (NotFound e) {
            return Outcome.NOT_REGISTERED;
        } catch (ApiException e) {
            return Outcome.UNKNOWN; // catalogd down or busy: decide later
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
    int sweep() {
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

    void startJanitor(Duration every) {
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
