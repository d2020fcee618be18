package dev.lakehouse.storaged;

import dev.lakehouse.common.config.Key;
import java.time.Duration;
import java.util.List;

/** storaged's config keys, declared once; docs/storaged.md has one row per key (checked by StoragedKeysTest). */
public final class StoragedKeys {
    private StoragedKeys() {}

    public static final Key<Long> MAX_PUT_BYTES = Key.bytes("storaged.max_put_bytes", PutCapPolicy.DEFAULT_MAX_PUT_BYTES,
            "cap of one PUT anywhere but `_vectors/`");
    public static final Key<Long> MAX_PUT_BYTES_VECTORS = Key.bytes("storaged.max_put_bytes_vectors",
            PutCapPolicy.DEFAULT_MAX_PUT_BYTES_VECTORS,
            "cap under `StorageLayout.VECTORS_PREFIX` (`_vectors/`), vectord's single-PUT LHV1 files");
    public static final Key<Integer> MAX_CONCURRENT_PUTS = Key.integer("storaged.max_concurrent_puts", 4,
            "PUTs in flight; the next one gets `503` + `Retry-After: 1` at once");
    public static final Key<Long> PART_SIZE_BYTES = Key.bytes("storaged.part_size_bytes", 8L << 20,
            "multipart part size (chunked bodies), min 5 MiB");
    public static final Key<Integer> PARTS_IN_FLIGHT = Key.integer("storaged.parts_in_flight", 2,
            "parts of one multipart upload sent to S3 concurrently");
    public static final Key<Duration> S3_HEALTH_TTL = Key.duration("storaged.s3_health_ttl", Duration.ofSeconds(3),
            "how long `/health` keeps the outcome of its S3 check");
    public static final Key<Duration> S3_HEALTH_TIMEOUT = Key.duration("storaged.s3_health_timeout", Duration.ofSeconds(1),
            "time bound of that check (one HeadBucket)");
    public static final Key<Boolean> STREAM_DECLARED_PUTS = Key.bool("storaged.stream_declared_puts", true,
            "a body with a declared length ≥ one part streams as one PutObject");
    public static final Key<Duration> MULTIPART_GRACE = Key.duration("storaged.multipart_grace", Duration.ofHours(1),
            "a multipart upload initiated longer ago is aborted by the janitor");
    public static final Key<Duration> MULTIPART_SWEEP_INTERVAL = Key.duration("storaged.multipart_sweep_interval",
            Duration.ofMinutes(10), "how often the janitor looks (and once at start)");

    public static final List<Key<?>> ALL = List.of(MAX_PUT_BYTES, MAX_PUT_BYTES_VECTORS, MAX_CONCURRENT_PUTS, PART_SIZE_BYTES,
            PARTS_IN_FLIGHT, S3_HEALTH_TTL, S3_HEALTH_TIMEOUT, STREAM_DECLARED_PUTS, MULTIPART_GRACE, MULTIPART_SWEEP_INTERVAL);
}
