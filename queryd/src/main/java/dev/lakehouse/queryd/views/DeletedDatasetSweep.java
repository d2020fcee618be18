package dev.lakehouse.queryd.views;

import dev.lakehouse.common.client.CatalogClient;
import dev.lakehouse.common.model.DatasetSummary;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evicts the cached files of datasets the catalog no longer has, every {@code interval}: a query that names a
 * deleted dataset evicts its files at once ({@link DatasetViews}), this catches the datasets nobody queries after
 * their delete. One catalog list per interval, and only while the cache holds files of some dataset.
 */
public final class DeletedDatasetSweep implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeletedDatasetSweep.class);

    private final CatalogClient catalog;
    private final ParquetCache cache;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "queryd-cache-sweep");
        t.setDaemon(true);
        return t;
    });

    public DeletedDatasetSweep(CatalogClient catalog, ParquetCache cache, Duration interval) {
        this.catalog = catalog;
        this.cache = cache;
        timer.scheduleWithFixedDelay(this::sweep, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void sweep() {
        try {
            Set<String> cached = cache.datasets();
            if (cached.isEmpty()) {
                return;
            }
            Set<String> live = catalog.list().stream().map(DatasetSummary::name).collect(Collectors.toSet());
            for (String name : cached) {
                if (!live.contains(name)) {
                    log.info("dataset {} is gone from the catalog: evicting its cached files", name);
                    cache.evictDataset(name);
                }
            }
        } catch (RuntimeException e) {
            log.debug("cache sweep skipped: {}", e.getMessage()); // catalog unreachable: next time
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
