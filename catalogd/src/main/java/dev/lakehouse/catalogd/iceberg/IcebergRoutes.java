package dev.lakehouse.catalogd.iceberg;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.lakehouse.common.DatasetNames;
import dev.lakehouse.common.error.ApiException;
import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.routes.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.Endpoint;
import org.apache.iceberg.rest.RESTSerializers;
import org.apache.iceberg.rest.responses.ConfigResponse;
import org.apache.iceberg.rest.responses.ErrorResponse;
import org.apache.iceberg.rest.responses.GetNamespaceResponse;
import org.apache.iceberg.rest.responses.ListNamespacesResponse;
import org.apache.iceberg.rest.responses.ListTablesResponse;
import org.apache.iceberg.rest.responses.LoadTableResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read side of the Iceberg REST catalog protocol under {@link Routes.Iceberg#BASE} (through the gateway
 * {@code /v1/iceberg}): config, one namespace, tables list, load/HEAD table with ETag, metrics as a no-op.
 * Bodies and errors are the protocol's own (Iceberg's serializers; errors as its ErrorModel
 * {@code {"error":{"message","type","code"}}}, not the fleet's error shape: Iceberg clients parse that one).
 * Every write operation answers the spec's 406 UnsupportedOperationException.
 */
public final class IcebergRoutes {
    private static final Logger log = LoggerFactory.getLogger(IcebergRoutes.class);
    /** Configured as Iceberg's own REST mapper is: kebab-case fields, its serializers for metadata and errors. */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    static {
        RESTSerializers.registerAll(MAPPER);
    }

    /** What GET /v1/config advertises: a client calls only these (and learns that nothing else is served). */
    static final List<Endpoint> ENDPOINTS = List.of(Endpoint.V1_LIST_NAMESPACES, Endpoint.V1_LOAD_NAMESPACE,
            Endpoint.V1_NAMESPACE_EXISTS, Endpoint.V1_LIST_TABLES, Endpoint.V1_LOAD_TABLE, Endpoint.V1_TABLE_EXISTS,
            Endpoint.V1_REPORT_METRICS);

    private final IcebergMetadata metadata;
    private final IcebergMetadata.Versions versions;
    private final IcebergSettings settings;

    public IcebergRoutes(IcebergMetadata metadata, IcebergMetadata.Versions versions, IcebergSettings settings) {
        this.metadata = metadata;
        this.versions = versions;
        this.settings = settings;
    }

    public void register(RoutesConfig r) {
        String b = Routes.Iceberg.BASE;
        r.get(Routes.Iceberg.CONFIG, wrap(this::config));
        r.get(Routes.Iceberg.NAMESPACES, wrap(this::listNamespaces));
        r.get(Routes.Iceberg.NAMESPACE, wrap(ctx -> json(ctx, GetNamespaceResponse.builder()
                .withNamespace(namespace(ctx)).setProperties(Map.of()).build())));
        r.head(Routes.Iceberg.NAMESPACE, wrap(ctx -> {
            namespace(ctx);
            ctx.status(204);
        }));
        r.get(Routes.Iceberg.TABLES, wrap(this::listTables));
        r.get(Routes.Iceberg.TABLE, wrap(this::loadTable));
        r.head(Routes.Iceberg.TABLE, wrap(ctx -> {
            table(ctx);
            ctx.status(204);
        }));
        r.post(Routes.Iceberg.METRICS, wrap(ctx -> {
            table(ctx); // the report itself is not kept: engines send it after every scan
            ctx.status(204);
        }));
        // everything else the protocol defines changes the catalog, which only the fleet's own API does
        for (HandlerType m : List.of(HandlerType.POST, HandlerType.PUT, HandlerType.DELETE)) {
            for (String path : List.of("/v1/namespaces", "/v1/namespaces/{namespace}", "/v1/namespaces/{namespace}/properties",
                    "/v1/namespaces/{namespace}/tables", "/v1/namespaces/{namespace}/tables/{table}",
                    "/v1/namespaces/{namespace}/register",
                    "/v1/tables/rename", "/v1/transactions/commit", "/v1/oauth/tokens")) {
                r.addHttpHandler(m, b + path, ctx -> error(ctx, 406, "UnsupportedOperationException",
                        "this catalog is read-only: datasets change through the fleet's /v1/ingest and /v1/catalog"));
            }
        }
        for (HandlerType m : List.of(HandlerType.GET, HandlerType.HEAD, HandlerType.POST, HandlerType.PUT, HandlerType.DELETE)) {
            r.addHttpHandler(m, b + "/<rest>", ctx -> error(ctx, m == HandlerType.GET || m == HandlerType.HEAD ? 404 : 406,
                    m == HandlerType.GET || m == HandlerType.HEAD ? "NotFoundException" : "UnsupportedOperationException",
                    "not served by this catalog: " + ctx.method() + " " + ctx.path()));
        }
    }

    private void config(Context ctx) throws Exception {
        json(ctx, ConfigResponse.builder().withDefaults(settings.clientDefaults()).withOverrides(settings.clientOverrides())
                .withEndpoints(ENDPOINTS).build());
    }

    private void listNamespaces(Context ctx) throws Exception {
        String parent = ctx.queryParam("parent");
        ListNamespacesResponse.Builder out = ListNamespacesResponse.builder();
        if (parent == null || parent.isEmpty()) {
            out.add(Namespace.of(settings.namespace())); // one level: the namespace has no children
        } else if (!parent.equals(settings.namespace())) {
            throw noSuchNamespace(parent);
        }
        json(ctx, out.build());
    }

    /** {@code pageToken} is the last name of the previous page, {@code pageSize} at most 1000 (all if absent). */
    private void listTables(Context ctx) throws Exception {
        Namespace ns = namespace(ctx);
        String after = ctx.queryParam("pageToken");
        int size = pageSize(ctx.queryParam("pageSize"));
        List<String> names = versions.datasets().stream().sorted()
                .filter(n -> after == null || after.isEmpty() || n.compareTo(after) > 0).toList();
        ListTablesResponse.Builder out = ListTablesResponse.builder();
        names.stream().limit(size).forEach(n -> out.add(TableIdentifier.of(ns, n)));
        if (names.size() > size) {
            out.nextPageToken(names.get(size - 1));
        }
        json(ctx, out.build());
    }

    private void loadTable(Context ctx) throws Exception {
        IcebergMetadata.Published p = table(ctx);
        ctx.header("ETag", p.etag());
        if (p.etag().equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        json(ctx, LoadTableResponse.builder().withTableMetadata(p.metadata()).addAllConfig(settings.tableConfig()).build());
    }

    private Namespace namespace(Context ctx) {
        String ns = ctx.pathParam("namespace");
        if (!ns.equals(settings.namespace())) {
            throw noSuchNamespace(ns);
        }
        return Namespace.of(ns);
    }

    private IcebergMetadata.Published table(Context ctx) {
        String name = ctx.pathParam("table");
        // a table in another namespace is "no such table", as Iceberg's own catalogs answer: clients then try
        // the name as a metadata table (Spark's lakehouse.sales.snapshots is first loaded as table
        // "snapshots" of namespace lakehouse.sales, then as table sales's snapshots)
        String ns = ctx.pathParam("namespace");
        if (!ns.equals(settings.namespace()) || !DatasetNames.isValid(name)) {
            // the spec joins a multi-level namespace's parts with 0x1F
            throw new IcebergError(404, "NoSuchTableException", "Table does not exist: " + ns.replace('\u001f', '.') + "." + name);
        }
        try {
            return metadata.refresh(name);
        } catch (ApiException e) {
            if (e.is(ErrorCodes.DATASET_NOT_FOUND)) {
                throw new IcebergError(404, "NoSuchTableException", "Table does not exist: " + settings.namespace() + "." + name);
            }
            throw e;
        }
    }

    private IcebergError noSuchNamespace(String ns) {
        return new IcebergError(404, "NoSuchNamespaceException", "Namespace does not exist: " + ns
                + " (this catalog has one: " + settings.namespace() + ")");
    }

    private static int pageSize(String v) {
        if (v == null || v.isEmpty()) {
            return Integer.MAX_VALUE;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= 1000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IcebergError(400, "BadRequestException", "pageSize must be a whole number from 1 to 1000, got '" + v + "'");
    }

    private static void json(Context ctx, Object body) throws Exception {
        ctx.contentType("application/json").result(MAPPER.writeValueAsBytes(body));
    }

    /** An error in the protocol's shape, for this package only. */
    static final class IcebergError extends RuntimeException {
        final int status;
        final String type;

        IcebergError(int status, String type, String message) {
            super(message);
            this.status = status;
            this.type = type;
        }
    }

    /** Every failure as the protocol's ErrorModel; the fleet's errors keep their message and status. */
    private static Handler wrap(Handler h) {
        return ctx -> {
            try {
                h.handle(ctx);
            } catch (IcebergError e) {
                error(ctx, e.status, e.type, e.getMessage());
            } catch (ApiException e) {
                int s = e.status();
                String type = s == 503 ? "ServiceUnavailableException" : s == 400 ? "BadRequestException"
                        : s == 404 ? "NotFoundException" : "ServerErrorException";
                if (s == 503) {
                    ctx.header("Retry-After", "1");
                }
                // a failed dataset (409 in the fleet's API) is a server-side fault to an Iceberg client
                error(ctx, s == 409 ? 500 : s, type, e.getMessage() + " (" + e.code() + ")");
            } catch (Exception e) {
                log.error("Iceberg request {} {} failed", ctx.method(), ctx.path(), e);
                error(ctx, 500, "ServerErrorException", e.toString());
            }
        };
    }

    private static void error(Context ctx, int status, String type, String message) throws Exception {
        ErrorResponse body = ErrorResponse.builder().responseCode(status).withType(type).withMessage(message).build();
        ctx.status(status);
        if (ctx.method() != HandlerType.HEAD) {
            json(ctx, body);
        }
    }
}
