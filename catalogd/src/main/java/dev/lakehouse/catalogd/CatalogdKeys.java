package dev.lakehouse.catalogd;

import dev.lakehouse.common.config.Key;
import java.time.Duration;
import java.util.List;

/**
 * catalogd's config keys, declared once; docs/catalogd.md (and docs/iceberg.md for {@code catalogd.iceberg.*})
 * have one row per key, checked by CatalogdKeysTest.
 */
public final class CatalogdKeys {
    private CatalogdKeys() {}

    public static final Key<Duration> REHYDRATE_RETRY = Key.duration("catalogd.rehydrate_retry", Duration.ofSeconds(1),
            "wait between attempts to load the catalog from storaged at start");
    public static final Key<Long> OLDER_VERSIONS_MAX_FILES = Key.longValue("catalogd.older_versions_max_files", 100_000,
            "bound of the in-memory cache of older versions' manifests (time travel), in file entries held,"
            + " across datasets; least recently used out first");
    public static final Key<Long> MAX_FOOTER_BYTES = Key.bytes("catalogd.max_footer_bytes", 16L << 20,
            "a Parquet footer above this is refused as `parquet_footer`, bounding what one registration makes catalogd"
            + " read into memory");
    public static final Key<Duration> ERASURE_RETRY = Key.duration("catalogd.erasure_retry", Duration.ofSeconds(2),
            "wait before a failed erasure step is tried again (docs/erasure.md)");
    public static final Key<Duration> ERASURE_STEP_TIMEOUT = Key.duration("catalogd.erasure_step_timeout",
            Duration.ofMinutes(10), "a step whose peer is silent this long is retried");
    public static final Key<String> ICEBERG_NAMESPACE = Key.string("catalogd.iceberg.namespace", "lakehouse",
            "the one namespace (`[a-z][a-z0-9_]{0,62}`)");
    public static final Key<String> ICEBERG_S3_ENDPOINT = Key.string("catalogd.iceberg.s3_endpoint", null,
            "the `s3.endpoint` told to engines").computed("the secrets file's `s3.primary.endpoint`");
    public static final Key<Boolean> ICEBERG_VEND_S3_CREDENTIALS = Key.bool("catalogd.iceberg.vend_s3_credentials", false,
            "give the bucket's keys in `/v1/config` (dev only, see above)");
    public static final Key<Integer> ICEBERG_QUEUE = Key.integer("catalogd.iceberg.queue", 10_000,
            "metadata updates waiting to be written; one dropped is made on the table's next load");

    public static final List<Key<?>> ALL = List.of(REHYDRATE_RETRY, OLDER_VERSIONS_MAX_FILES, MAX_FOOTER_BYTES,
            ERASURE_RETRY, ERASURE_STEP_TIMEOUT, ICEBERG_NAMESPACE, ICEBERG_S3_ENDPOINT, ICEBERG_VEND_S3_CREDENTIALS,
            ICEBERG_QUEUE);
}
