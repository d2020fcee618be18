package dev.lakehouse.common.idempotency;

import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.error.NotFound;
import dev.lakehouse.common.error.ServiceUnavailable;
import java.util.List;
import java.util.Optional;

/** {@link RecordStorage} in storaged, for catalogd and ingestd. */
public final class StorageRecords implements RecordStorage {
    private final StorageClient storage;

    public StorageRecords(StorageClient storage) {
        this.storage = storage;
    }

    @Override
    public Optional<byte[]> get(String key) {
        try {
            return Optional.of(storage.getBytes(key));
        } catch (NotFound e) {
            return Optional.empty();
        }
    }

    /**
     * Retries a PUT that storaged refused for want of a free slot (503 from the headers, nothing written): a
     * record is a few hundred bytes, and failing the keyed write over it would be the wrong trade.
     */
    @Override
    public void put(String key, byte[] bytes) {
        for (int attempt = 1; ; attempt++) {
            try {
                storage.put(key, bytes);
                return;
            } catch (ServiceUnavailable busy) {
                if (attempt == 5) {
                    throw busy;
                }
                try {
                    Thread.sleep(20L << attempt);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw busy;
                }
            }
        }
    }

    @Override
    public void delete(String key) {
        storage.delete(key);
    }

    @Override
    public List<Stored> list(String prefix) {
        return storage.listAll(prefix).stream().map(o -> new Stored(o.key(), o.lastModified())).toList();
    }
}
