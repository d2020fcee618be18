package dev.lakehouse.common;

/**
 * Key prefixes in the primary bucket, shared by the services that write them and by storaged's caps.
 * One definition, so a rename cannot silently move vectord's files out from under the 4 GiB cap.
 */
public final class StorageLayout {
    private StorageLayout() {}

    /** LHV1 vector index files ({@code _vectors/{name}.lhv1}); storaged allows 4 GiB PUTs here. */
    public static final String VECTORS_PREFIX = "_vectors/";
    /** Catalog manifests ({@code _catalog/{dataset}/{version}.json}), written once each. */
    public static final String CATALOG_PREFIX = "_catalog/";
    /** ingestd's intents ({@code _ingest/pending/{uuid}.json}): an upload not yet known to be registered. */
    public static final String INGEST_PENDING_PREFIX = "_ingest/pending/";
    /** Idempotency records ({@code _idempotency/{service}/{scope}/{sha256(key)}.json}), see IdempotencyStore. */
    public static final String IDEMPOTENCY_PREFIX = "_idempotency/";
    /** Parquet data files ({@code datasets/{dataset}/{uuid}.parquet}). */
    public static final String DATASETS_PREFIX = "datasets/";
    /** catalogd's erasures: intents ({@code _erasure/intents/{id}.json}) and the audit log ({@code _erasure/log/}). */
    public static final String ERASURE_PREFIX = "_erasure/";
    /** Everything ingestd keeps for itself (its intents among it). */
    public static final String INGEST_PREFIX = "_ingest/";

    /**
     * The fleet's own state: read-only through the public storage API, written only by the services that own
     * it (catalogd, vectord, ingestd) with the fleet credential (ADR 0017).
     */
    public static final java.util.List<String> RESERVED_PREFIXES =
            java.util.List.of(CATALOG_PREFIX, VECTORS_PREFIX, INGEST_PREFIX, DATASETS_PREFIX, ERASURE_PREFIX);

    /** The reserved prefix {@code key} lies under, if any. */
    public static java.util.Optional<String> reservedPrefixOf(String key) {
        return RESERVED_PREFIXES.stream().filter(key::startsWith).findFirst();
    }
}
