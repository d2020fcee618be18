package dev.lakehouse.common.routes;

import dev.lakehouse.common.config.Service;
import java.util.List;

/**
 * Every route path of the fleet, defined once. Backends serve the upstream paths; the gateway exposes
 * them under {@code /v1} through {@link #MOUNTS}. Path parameters use Javalin syntax ({@code <key>}
 * matches across slashes).
 */
public final class Routes {
    private Routes() {}

    public static final String HEALTH = "/health";
    public static final String GATEWAY_HEALTH = "/v1/health";
    /** Each service's Prometheus metrics; the gateway also serves its own at {@link #GATEWAY_METRICS}. */
    public static final String METRICS = "/metrics";
    public static final String GATEWAY_METRICS = "/v1/metrics";
    /** The public API's OpenAPI 3.1 document (gateway/src/main/resources/openapi/openapi.yaml). */
    public static final String OPENAPI_JSON = "/v1/openapi.json";
    public static final String OPENAPI_YAML = "/v1/openapi.yaml";

    public static final class Storage {
        public static final String PUBLIC = "/v1/storage";
        public static final String OBJECTS = "/objects";
        public static final String OBJECT = "/objects/<key>";
        private Storage() {}
    }

    public static final class Catalog {
        public static final String PUBLIC = "/v1/catalog";
        public static final String DATASETS = "/datasets";
        public static final String DATASET = "/datasets/{name}";
        public static final String MANIFESTS = "/datasets/{name}/manifests";
        public static final String VERSION = "/datasets/{name}/versions/{version}";
        /** {@code GET ?key=<file key>}: the first version referencing that file, or 404 {@code file_not_referenced}. */
        public static final String FILES = "/datasets/{name}/files";
        public static final String VERSIONS = "/datasets/{name}/versions";
        private Catalog() {}
    }

    /** Erasure of a person (catalogd coordinates; ADR 0024, docs/erasure.md). */
    public static final class Erasure {
        public static final String PUBLIC = "/v1/erasure";
        public static final String BASE = "/erasure";
        public static final String LOG = "/erasure/log";
        public static final String ONE = "/erasure/{id}";
        private Erasure() {}
    }

    // Fleet-internal erasure steps, called by catalogd's coordinator only (refused when the gateway forwarded them).
    // Outside the nested classes on purpose: those are the public API, each under a gateway mount.
    /** queryd: how many rows of one file match. */
    public static final String ERASURE_QUERYD_COUNT = "/erasure/count";
    /** queryd: one file rewritten without the matching rows. */
    public static final String ERASURE_QUERYD_REWRITE = "/erasure/rewrite";
    /** queryd: drop a dataset's cached files at once. */
    public static final String ERASURE_QUERYD_EVICT = "/erasure/evict";
    /** vectord: remove items from the live graph, rebuild, snapshot, drop the WAL that held them. */
    public static final String ERASURE_VECTORD = "/index/{name}/erase";

    /** The Iceberg REST catalog (read side), served by catalogd; a client's {@code uri} is the public prefix. */
    public static final class Iceberg {
        public static final String PUBLIC = "/v1/iceberg";
        public static final String BASE = "/iceberg";
        public static final String CONFIG = "/iceberg/v1/config";
        public static final String NAMESPACES = "/iceberg/v1/namespaces";
        public static final String NAMESPACE = "/iceberg/v1/namespaces/{namespace}";
        public static final String TABLES = "/iceberg/v1/namespaces/{namespace}/tables";
        public static final String TABLE = "/iceberg/v1/namespaces/{namespace}/tables/{table}";
        public static final String METRICS = "/iceberg/v1/namespaces/{namespace}/tables/{table}/metrics";
        private Iceberg() {}
    }

    public static final class Ingest {
        public static final String PUBLIC = "/v1/ingest";
        public static final String BASE = "/ingest";
        public static final String DATASET = "/ingest/{dataset}";
        public static final String COMPACT = "/ingest/{dataset}/compact";
        private Ingest() {}
    }

    public static final class Sql {
        public static final String PUBLIC = "/v1/sql";
        public static final String BASE = "/sql";
        private Sql() {}
    }

    public static final class Vectors {
        public static final String PUBLIC = "/v1/vectors";
        public static final String INDEXES = "/index";
        public static final String INDEX = "/index/{name}";
        public static final String ADD = "/index/{name}/add";
        public static final String SEARCH = "/index/{name}/search";
        public static final String ITEM = "/index/{name}/items/{id}";
        public static final String SAVE = "/index/{name}/save";
        public static final String COMPACT = "/index/{name}/compact";
        public static final String SYNC = "/index/{name}/sync";
        private Vectors() {}
    }

    public static final class Embed {
        public static final String PUBLIC = "/v1/embed";
        public static final String BASE = "/embed";
        public static final String MODELS = "/embed/models";
        /** OpenAI's embeddings route (clients with base URL {@code http://gateway/v1}). */
        public static final String OPENAI_PUBLIC = "/v1/embeddings";
        public static final String OPENAI = "/embeddings";
        /** Ollama's embed route (Ollama clients with host {@code http://gateway/v1}). */
        public static final String OLLAMA_PUBLIC = "/v1/api/embed";
        public static final String OLLAMA = "/api/embed";
        private Embed() {}
    }

    /** The gateway's route table: public prefix → backend. */
    public static final List<Mount> MOUNTS = List.of(
            new Mount(Storage.PUBLIC, Service.STORAGED, ""),
            new Mount(Catalog.PUBLIC, Service.CATALOGD, ""),
            new Mount(Erasure.PUBLIC, Service.CATALOGD, Erasure.BASE),
            new Mount(Iceberg.PUBLIC, Service.CATALOGD, Iceberg.BASE),
            new Mount(Ingest.PUBLIC, Service.INGESTD, Ingest.BASE),
            new Mount(Sql.PUBLIC, Service.QUERYD, Sql.BASE),
            new Mount(Vectors.PUBLIC, Service.VECTORD, ""),
            new Mount(Embed.PUBLIC, Service.EMBEDD, Embed.BASE),
            new Mount(Embed.OPENAI_PUBLIC, Service.EMBEDD, Embed.OPENAI),
            new Mount(Embed.OLLAMA_PUBLIC, Service.EMBEDD, Embed.OLLAMA));

    /** The six backends behind the gateway, in mount order. */
    public static List<Service> backends() {
        return MOUNTS.stream().map(Mount::service).distinct().toList();
    }
}
