package dev.lakehouse.queryd.api;

import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.io.NonClosingOutputStream;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.routes.Routes;
import dev.lakehouse.queryd.exec.QueryRunner;
import dev.lakehouse.queryd.result.ArrowSupport;
import dev.lakehouse.queryd.result.ResultWriter;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /sql}: JSON {@code {"sql","versions","limit"}} or a {@code text/plain} statement; {@code ?version=N}
 * pins the one dataset the query reads, {@code ?limit=N} sets the row limit. The answer's format follows
 * {@code Accept} (JSON, CSV, Arrow IPC stream). Errors before the first row are typed JSON errors; an error
 * after the body has started can only cut the connection.
 */
public final class SqlRoutes {
    private static final Logger log = LoggerFactory.getLogger(SqlRoutes.class);
    public static final String VERSIONS_HEADER = "X-Lakehouse-Versions";
    public static final String ROW_LIMIT_HEADER = "X-Lakehouse-Row-Limit";

    private final QueryRunner runner;
    private final ArrowSupport arrow;
    private final long defaultLimit;
    private final long maxLimit;

    public SqlRoutes(QueryRunner runner, ArrowSupport arrow, long defaultLimit, long maxLimit) {
        this.runner = runner;
        this.arrow = arrow;
        this.defaultLimit = defaultLimit;
        this.maxLimit = maxLimit;
    }

    public void register(RoutesConfig r) {
        r.post(Routes.Sql.BASE, this::query);
    }

    private void query(Context ctx) throws Exception {
        SqlRequest req = parse(ctx);
        ResultFormat format = ResultFormat.negotiate(ctx.queryParam("format"), ctx.header("Accept"));
        long limit = limit(req, ctx.queryParam("limit"));
        Map<String, Integer> versions = req.versions();
        String versionParam = ctx.queryParam("version");
        try (QueryRunner.Running q = runner.start(req.sql(), versions,
                versionParam == null ? null : parseVersion(versionParam), limit);
                ResultWriter writer = ResultWriter.of(format, q, limit, arrow)) {
            try {
                writer.begin();
            } catch (SQLException e) {
                throw q.translate(e);
            }
            ctx.status(200);
            ctx.contentType(format == ResultFormat.CSV ? "text/csv; charset=utf-8" : format.mediaType());
            ctx.header(VERSIONS_HEADER, q.versions().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")));
            ctx.header(ROW_LIMIT_HEADER, Long.toString(limit));
            OutputStream out = new NonClosingOutputStream(ctx.res().getOutputStream());
            try {
                writer.write(out);
                out.flush();
            } catch (SQLException | IOException | RuntimeException e) {
                q.discardSession();
                // status and part of the body are out: cut the connection so the client cannot take it as complete
                log.warn("query cut after {} rows: {}", writer.rows(), QueryRunner.firstLine(e.getMessage()));
                throw new IOException("result stream failed: " + e.getMessage(), e);
            }
            log.info("sql {} rows {} versions {}: {}", format.name().toLowerCase(Locale.ROOT), writer.rows(), q.versions(), q.timing());
        }
    }

    private SqlRequest parse(Context ctx) throws IOException {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        byte[] body = ctx.bodyAsBytes();
        if (type.startsWith("text/plain") || type.startsWith("application/sql")) {
            return new SqlRequest(strictUtf8(body), null, null);
        }
        if (body.length == 0) {
            throw new BadRequest("body must be JSON {\"sql\": \"SELECT ...\"} or a text/plain statement");
        }
        SqlRequest req = Json.MAPPER.readValue(body, SqlRequest.class);
        if (req == null || req.sql() == null) { // a JSON null body reads as null
            throw new BadRequest("field 'sql' is required");
        }
        return req;
    }

    /** Decodes UTF-8, refusing malformed bytes instead of running a statement with U+FFFD in it. */
    static String strictUtf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(body)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new BadRequest("the statement is not valid UTF-8");
        }
    }

    private long limit(SqlRequest req, String param) {
        long limit = defaultLimit;
        if (param != null) {
            try {
                limit = Long.parseLong(param.trim());
            } catch (NumberFormatException e) {
                throw new BadRequest("limit must be a whole number, got " + param);
            }
        } else if (req.limit() != null) {
            limit = req.limit();
        }
        if (limit < 1 || limit > maxLimit) {
            throw new BadRequest("limit must be between 1 and " + maxLimit + ", got " + limit);
        }
        return limit;
    }

    private static int parseVersion(String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new BadRequest("version must be a whole number, got " + v);
        }
    }

}
