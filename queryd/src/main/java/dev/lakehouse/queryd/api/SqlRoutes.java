package dev.lakehouse.queryd.api;

import dev.lakehouse.common.error.ApiException;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.error.NotFound;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.routes.Routes;
import dev.lakehouse.queryd.exec.EngineErrors;
import dev.lakehouse.queryd.exec.QueryRunner;
import dev.lakehouse.queryd.exec.Running;
import dev.lakehouse.queryd.result.ResultFormat;
import dev.lakehouse.queryd.result.ResultMemory;
import dev.lakehouse.queryd.result.ResponseBody;
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
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /sql}: JSON {@code {"sql","versions","limit","cursor"}} or a {@code text/plain} statement;
 * {@code ?version=N} pins the one dataset the query reads, {@code ?limit=N} and {@code ?cursor=} as in the body.
 * The answer's format follows {@code Accept} (JSON, CSV, Arrow IPC stream). No answer is cut silently: CSV and Arrow
 * hold the whole result (or exactly the {@code limit} rows asked for), JSON holds one page and says so
 * ({@code truncated}, {@code next}). Errors before the first row are typed JSON errors; an error after the body
 * has started can only cut the connection.
 */
public final class SqlRoutes {
    private static final Logger log = LoggerFactory.getLogger(SqlRoutes.class);
    public static final String VERSIONS_HEADER = "X-Lakehouse-Versions";
    public static final String ROW_LIMIT_HEADER = "X-Lakehouse-Row-Limit";
    /** What the export writers hand the response at a time ({@code ByteSink}), and so Jetty's buffer for them. */
    private static final int EXPORT_BUFFER = 1 << 18;

    private final QueryRunner runner;
    private final ResultMemory memory;
    private final long defaultPageSize;
    private final long maxPageSize;

    public SqlRoutes(QueryRunner runner, ResultMemory memory, long defaultPageSize, long maxPageSize) {
        this.runner = runner;
        this.memory = memory;
        this.defaultPageSize = defaultPageSize;
        this.maxPageSize = maxPageSize;
    }

    public void register(RoutesConfig r) {
        r.post(Routes.Sql.BASE, this::query);
    }

    private void query(Context ctx) throws Exception {
        SqlRequest req = parse(ctx);
        ResultFormat format = format(ctx);
        Long limit = limit(req, ctx.queryParam("limit"));
        String cursorText = ctx.queryParam("cursor") != null ? ctx.queryParam("cursor") : req.cursor();
        PageCursor cursor = cursorText == null ? null : PageCursor.decode(cursorText, req.sql() == null ? "" : req.sql());
        String versionParam = ctx.queryParam("version");
        if (cursor != null && (format != ResultFormat.JSON || !req.versions().isEmpty() || versionParam != null)) {
            throw new BadRequest("a cursor continues a JSON answer and pins its own versions; send it with the same"
                    + " statement only", Map.of("code", "bad_cursor"));
        }
        long pageSize = cursor != null && limit == null ? cursor.pageSize() : limit != null ? limit : defaultPageSize;
        if (format == ResultFormat.JSON && pageSize > maxPageSize) {
            throw new BadRequest("a JSON page holds at most " + maxPageSize + " rows, got limit " + pageSize
                    + "; follow \"next\", or export the whole result as CSV or Arrow",
                    Map.of("code", "page_too_large", "max", maxPageSize));
        }
        QueryRunner.Request run = new QueryRunner.Request(req.sql(), format,
                cursor != null ? cursor.versions() : req.versions(),
                versionParam == null ? null : parseVersion(versionParam),
                cursor != null ? cursor.offset() : 0, pageSize, limit);
        try (Running q = start(run, cursor != null);
                ResultWriter writer = ResultWriter.of(format, q, memory, pageSize, n -> q.pageable()
                        ? PageCursor.next(req.sql(), run.offset() + n, pageSize, q.versions()).encode() : null)) {
            try {
                writer.begin();
            } catch (SQLException e) {
                throw q.translate(e);
            }
            ctx.status(200);
            ctx.contentType(format == ResultFormat.CSV ? "text/csv; charset=utf-8" : format.mediaType());
            ctx.header(VERSIONS_HEADER, q.versions().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")));
            if (format == ResultFormat.JSON || limit != null) { // an export without a limit is the whole result
                ctx.header(ROW_LIMIT_HEADER, Long.toString(format == ResultFormat.JSON ? pageSize : limit));
            }
            if (format != ResultFormat.JSON) {
                // Jetty writes a response in pieces of its buffer (32 KiB by default), each a blocking write of its
                // own: the writers hand over 256 KiB at a time, and a 3M-row CSV export took 3,350 writev calls
                ctx.res().setBufferSize(EXPORT_BUFFER);
            }
            OutputStream out = new ResponseBody(ctx.res().getOutputStream());
            try {
                writer.write(out);
                out.flush();
            } catch (SQLException | IOException | RuntimeException e) {
                q.discardSession();
                if (!ctx.res().isCommitted()) {
                    // nothing has left yet (the writers and Jetty buffer 256 KiB): the client gets the typed error
                    // (504 export_timeout, 504 past the statement timeout, ...) as JSON instead of a 500
                    ctx.res().resetBuffer();
                    throw beforeFirstByte(q, e);
                }
                // status and part of the body are out: cut the connection so the client cannot take it as complete
                // (without the abort, the error mapper's JSON was appended and the body ended as if whole)
                // a CSV export by COPY learns its row count only at the end: the bytes sent say how far it got
                log.warn("sql {} cut after {} bytes sent ({}), connection aborted: {}",
                        format.name().toLowerCase(Locale.ROOT), writer.bytes(),
                        writer.rows() < 0 ? "row count unknown before COPY's end" : writer.rows() + " rows",
                        EngineErrors.firstLine(e.getMessage()));
                ServletContextRequest channel = ServletContextRequest.getServletContextRequest(ctx.req());
                if (channel != null) {
                    channel.getServletChannel().abort(e);
                }
                throw new IOException("result stream failed: " + e.getMessage(), e);
            }
            log.info("sql {} rows {} versions {}: {}", format.name().toLowerCase(Locale.ROOT), writer.rows(), q.versions(), q.timing());
        }
    }

    /** The typed error of a result stream that failed before its first byte left; an I/O error stays one. */
    private static Exception beforeFirstByte(Running q, Exception e) {
        if (e instanceof SQLException sql) {
            return q.translate(sql);
        }
        return e;
    }

    /** A cursor's pinned versions that the catalog no longer has: the snapshot is gone (410), not unknown. */
    private Running start(QueryRunner.Request run, boolean fromCursor) {
        try {
            return runner.start(run);
        } catch (NotFound e) {
            if (!fromCursor) {
                throw e;
            }
            throw new ApiException(410, "the snapshot this cursor pages through is gone: " + e.getMessage()
                    + "; run the statement again", Map.of("code", "snapshot_gone"), e);
        }
    }

    private static ResultFormat format(Context ctx) {
        try {
            return ResultFormat.negotiate(ctx.queryParam("format"), ctx.header("Accept"));
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
    }

    private SqlRequest parse(Context ctx) throws IOException {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        byte[] body = ctx.bodyAsBytes();
        if (type.startsWith("text/plain") || type.startsWith("application/sql")) {
            return new SqlRequest(strictUtf8(body), null, null, null);
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

    /** The explicit limit, or null; for JSON the page size, for an export the rows to send. */
    private static Long limit(SqlRequest req, String param) {
        Long limit = req.limit();
        if (param != null) {
            try {
                limit = Long.parseLong(param.trim());
            } catch (NumberFormatException e) {
                throw new BadRequest("limit must be a whole number, got " + param);
            }
        }
        if (limit != null && limit < 1) {
            throw new BadRequest("limit must be at least 1, got " + limit);
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
