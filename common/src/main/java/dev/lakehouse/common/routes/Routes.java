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
        public static final String VERSIONS = "/datasets/{name}/versions";
        private Catalog() {}
    }

    public static final class Ingest {
        public static final String PUBLIC = "/v1/ingest";
        public static final String BASE = "/ingest";
        public static final String DATASET = "/ingest/{dataset}";
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
        private Vectors() {}
    }

    public static final class Embed {
        public static final String PUBLIC = "/v1/embed";
        public static final String BASE = "/embed";
        public static final String MODELS = "/embed/models";
        private Embed() {}
    }

    /** The gateway's route table: public prefix → backend. */
    public static final List<Mount> MOUNTS = List.of(
            new Mount(Storage.PUBLIC, Service.STORAGED, ""),
            new Mount(Catalog.PUBLIC, Service.CATALOGD, ""),
            new Mount(Ingest.PUBLIC, Service.INGESTD, Ingest.BASE),
            new Mount(Sql.PUBLIC, Service.QUERYD, Sql.BASE),
            new Mount(Vectors.PUBLIC, Service.VECTORD, ""),
            new Mount(Embed.PUBLIC, Service.EMBEDD, Embed.BASE));

    /** The six backends behind the gateway, in mount order. */
    public static List<Service> backends() {
        return MOUNTS.stream().map(Mount::service).toList();
    }
}
