package dev.lakehouse.vectord.source;

import dev.lakehouse.common.StorageLayout;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.model.ObjectInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Sync states in storaged at {@code _vectors/_sources/<index>.json} (ignored by the index file listing). */
final class SourceStore {
    static final String PREFIX = StorageLayout.VECTORS_PREFIX + "_sources/";
    private final StorageClient storage;

    SourceStore(StorageClient storage) {
        this.storage = storage;
    }

    static String key(String index) {
        return PREFIX + index + ".json";
    }

    void save(SyncState s) {
        storage.put(key(s.index()), SyncState.FORMAT.write(s));
    }

    /** Every stored state; one that cannot be read fails the load with its key (never taken for "no source"). */
    List<SyncState> loadAll() {
        List<SyncState> out = new ArrayList<>();
        for (ObjectInfo o : storage.listAll(PREFIX)) {
            if (!o.key().endsWith(".json")) {
                continue;
            }
            try {
                out.add(SyncState.FORMAT.read(storage.getBytes(o.key()), SyncState.class));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read index source state " + o.key() + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    void delete(String index) {
        storage.delete(key(index));
    }
}
