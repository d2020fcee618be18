package dev.lakehouse.catalogd.iceberg;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Iceberg metadata following the catalog: a registration is acknowledged once its manifest is durable,
 * and its metadata is written here right after, off the request path, in order, on one thread; a delete
 * removes the dataset's metadata before it answers. The queue is
 * bounded; an update it drops (or one that fails) is made by the next load of that table or the next start,
 * since {@link IcebergMetadata#refresh} generates whatever is missing.
 */
public final class MetadataUpdates implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetadataUpdates.class);
    private final IcebergMetadata metadata;
    private final ThreadPoolExecutor worker;

    public MetadataUpdates(IcebergMetadata metadata, int queue) {
        this.metadata = metadata;
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, "catalogd-iceberg");
            t.setDaemon(true);
            return t;
        }, (r, pool) -> log.warn("Iceberg metadata queue full; the update is made on the table's next load"));
    }

    /** All datasets, as on start (migration). */
    public void migrate() {
        worker.execute(metadata::migrate);
    }

    public void registered(String dataset) {
        worker.execute(() -> run("refresh", dataset, () -> metadata.refresh(dataset)));
    }

    /** Synchronous, so a DELETE leaves nothing under {@code datasets/{name}/}; waits for an update in progress. */
    public void deleted(String dataset) {
        run("forget", dataset, () -> metadata.forget(dataset));
    }

    /**
     * Synchronous and not caught: an erasure rewrote older versions, so every snapshot is regenerated (stale ones
     * would name files the erasure deletes next); serialised with the worker's updates by the dataset's lock.
     */
    public void erased(String dataset) {
        metadata.publish(dataset);
    }

    private static void run(String what, String dataset, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("Iceberg metadata {} of {} failed (made on its next load): {}", what, dataset, e.toString());
        }
    }

    /** Finishes the updates already queued (a few seconds at most), so a restart finds them written. */
    @Override
    public void close() {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
