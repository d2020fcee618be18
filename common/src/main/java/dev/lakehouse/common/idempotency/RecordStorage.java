package dev.lakehouse.common.idempotency;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where idempotency records live: storaged for the services behind it, the bucket itself for storaged. */
public interface RecordStorage {
    Optional<byte[]> get(String key);

    void put(String key, byte[] bytes);

    void delete(String key);

    /** Keys under {@code prefix} with their last-modified time, for expiring old records. */
    List<Stored> list(String prefix);

    record Stored(String key, Instant lastModified) {}
}
