package dev.lakehouse.common.error;

/**
 * Stable, machine-readable error codes: the {@code code} field of every error body. Clients switch on these,
 * not on the status alone (a 404 from a misrouted URL is not a {@link #DATASET_NOT_FOUND}). A code, once
 * shipped, keeps its meaning; new situations get new codes. Codes not listed here are generic per status
 * ({@link #forStatus}).
 */
public final class ErrorCodes {
    public static final String BAD_REQUEST = "bad_request";
    public static final String INVALID_JSON = "invalid_json";
    public static final String UNAUTHORIZED = "unauthorized";
    public static final String FORBIDDEN = "forbidden";
    public static final String NOT_FOUND = "not_found";
    public static final String ROUTE_NOT_FOUND = "route_not_found";
    public static final String CONFLICT = "conflict";
    public static final String PAYLOAD_TOO_LARGE = "payload_too_large";
    public static final String INTERNAL_ERROR = "internal_error";
    public static final String BAD_GATEWAY = "bad_gateway";
    public static final String SERVICE_UNAVAILABLE = "service_unavailable";
    public static final String GATEWAY_TIMEOUT = "gateway_timeout";
    /** A write was sent but its answer never came: it may or may not have happened (Iceberg's CommitStateUnknown). */
    public static final String UNKNOWN_OUTCOME = "unknown_outcome";

    public static final String DATASET_NOT_FOUND = "dataset_not_found";
    public static final String VERSION_NOT_FOUND = "version_not_found";
    public static final String VERSION_CONFLICT = "version_conflict";
    public static final String SCHEMA_DRIFT = "schema_drift";
    public static final String OBJECT_NOT_FOUND = "object_not_found";
    public static final String OBJECT_CHANGED = "object_changed";
    public static final String PUT_CAP_EXCEEDED = "put_cap_exceeded";
    public static final String TOO_MANY_PUTS = "too_many_puts";
    public static final String INDEX_NOT_FOUND = "index_not_found";
    public static final String INDEX_EXISTS = "index_exists";
    public static final String INDEX_FAILED = "index_failed";
    public static final String ITEM_NOT_FOUND = "item_not_found";
    public static final String NOT_READY = "not_ready";
    public static final String SQL_FORBIDDEN = "sql_forbidden";
    /** embedd: more texts in one request than embedd.max_batch. */
    public static final String BATCH_TOO_LARGE = "batch_too_large";
    /** queryd: a PIVOT statement without an IN list, which DuckDB runs as two statements (CREATE TYPE, then the pivot). */
    public static final String PIVOT_NEEDS_IN_LIST = "pivot_needs_in_list";
    /** queryd: a PIVOT without an IN list whose column has more distinct values than queryd.pivot_max_values. */
    public static final String PIVOT_TOO_MANY_VALUES = "pivot_too_many_values";
    /** queryd: a PIVOT without an IN list whose column has no non-NULL value (there is no column to pivot into). */
    public static final String PIVOT_NO_VALUES = "pivot_no_values";
    /** queryd: {@code ?version=N} on a query that reads no dataset (SHOW TABLES, information_schema): N names none. */
    public static final String VERSION_NEEDS_DATASET = "version_needs_dataset";
    /** A search filter names an unknown operator or compares a field with a value of the wrong type. */
    public static final String BAD_FILTER = "bad_filter";
    /** A search asks for a mode other than dense, keyword or hybrid. */
    public static final String BAD_SEARCH_MODE = "bad_search_mode";
    /** A {@code vector_search()} call in SQL has arguments that are not literals of the right kind. */
    public static final String BAD_VECTOR_SEARCH = "bad_vector_search";
    /** vectord: an index's {@code source} (dataset, id/text/metadata columns) is malformed or queryd cannot read it. */
    public static final String BAD_INDEX_SOURCE = "bad_index_source";
    /** vectord: {@code POST /index/{name}/sync} on an index that does not follow a dataset. */
    public static final String INDEX_HAS_NO_SOURCE = "index_has_no_source";

    // storage and keys
    public static final String INVALID_KEY = "invalid_key";
    public static final String STORED_SIZE_MISMATCH = "stored_size_mismatch";
    public static final String RESERVED_PREFIX = "reserved_prefix";
    public static final String FLEET_CREDENTIAL_REQUIRED = "fleet_credential_required";
    public static final String BODY_TOO_SLOW = "body_too_slow";
    public static final String FILE_NOT_REFERENCED = "file_not_referenced";

    // idempotency
    public static final String IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused";
    public static final String IDEMPOTENCY_KEY_IN_FLIGHT = "idempotency_key_in_flight";
    public static final String INVALID_IDEMPOTENCY_KEY = "invalid_idempotency_key";
    public static final String BAD_IDEMPOTENCY_KEY = "bad_idempotency_key";
    public static final String IDEMPOTENCY_RECORD_UNREADABLE = "idempotency_record_unreadable";

    // catalog
    public static final String MANIFEST_MISMATCH = "manifest_mismatch";
    public static final String DATASET_FAILED = "dataset_failed";
    public static final String CORRUPT_MANIFEST = "corrupt_manifest";

    // ingest
    public static final String BAD_PARAMETER = "bad_parameter";
    public static final String CORRUPT_BODY = "corrupt_body";
    public static final String EMPTY_BODY = "empty_body";
    public static final String DIALECT_UNDETERMINED = "dialect_undetermined";
    public static final String MALFORMED_CSV = "malformed_csv";
    public static final String MALFORMED_NDJSON = "malformed_ndjson";
    public static final String MALFORMED_PARQUET = "malformed_parquet";
    public static final String NO_ROWS = "no_rows";
    public static final String RAGGED_ROW = "ragged_row";
    public static final String UNSUPPORTED_ENCODING = "unsupported_encoding";
    public static final String UNSUPPORTED_TYPE = "unsupported_type";
    public static final String COMPACTION_SUPERSEDED = "compaction_superseded";

    // vectors and embeddings
    public static final String MEMORY_BUDGET_EXCEEDED = "memory_budget_exceeded";
    public static final String MODEL_NOT_FOUND = "model_not_found";

    // sql
    public static final String BAD_CURSOR = "bad_cursor";
    public static final String CURSOR_MISMATCH = "cursor_mismatch";
    public static final String ENGINE_MEMORY_EXHAUSTED = "engine_memory_exhausted";
    public static final String EXPORT_TIMEOUT = "export_timeout";
    public static final String PAGE_TOO_LARGE = "page_too_large";
    public static final String QUEUE_FULL = "queue_full";
    public static final String QUEUE_TIMEOUT = "queue_timeout";
    public static final String QUEUE_INTERRUPTED = "queue_interrupted";
    public static final String RESULT_MEMORY_EXHAUSTED = "result_memory_exhausted";
    public static final String RESULT_TOO_LARGE = "result_too_large";
    public static final String SNAPSHOT_GONE = "snapshot_gone";
    public static final String SQL_SANDBOX = "sql_sandbox";
    public static final String UNKNOWN_DATASET = "unknown_dataset";
    /** A value the declared column type would round or truncate: refused, never stored changed. */
    public static final String LOSSY_VALUE = "lossy_value";

    // erasure
    /** An erasure id that names no erasure. */
    public static final String ERASURE_NOT_FOUND = "erasure_not_found";
    /** An erasure predicate that is not one boolean expression over its dataset (a comment, a ';', another table). */
    public static final String ERASURE_PREDICATE = "erasure_predicate";
    /** A rewritten file's row count is not the original's minus the matching rows: nothing of it is used. */
    public static final String ERASURE_ROW_MISMATCH = "erasure_row_mismatch";
    /** A fleet-internal route (erasure steps) called from outside the fleet, through the gateway. */
    public static final String INTERNAL_ROUTE = "internal_route";

    private ErrorCodes() {}

    /** The generic code of a status, used when the thrower named none. */
    public static String forStatus(int status) {
        return switch (status) {
            case 400 -> BAD_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 409 -> CONFLICT;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 502 -> BAD_GATEWAY;
            case 503 -> SERVICE_UNAVAILABLE;
            case 504 -> GATEWAY_TIMEOUT;
            default -> status >= 500 ? INTERNAL_ERROR : "http_" + status;
        };
    }
}
