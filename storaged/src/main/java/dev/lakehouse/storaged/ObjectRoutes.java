package dev.lakehouse.storaged;

import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.idempotency.IdempotencyStore;
import dev.lakehouse.common.model.PutResult;
import dev.lakehouse.common.routes.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import jakarta.servlet.http.HttpServletResponse;
import io.micrometer.core.instrument.FunctionCounter;
import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * storaged's HTTP surface: PUT/GET/HEAD/DELETE {@code /objects/<key>} and {@code GET /objects?prefix&limit&cursor}.
 * A PUT is refused (413 over its prefix's cap, 503 when all slots are taken) from its headers alone, before a
 * byte of the body is read, so a client sending {@code Expect: 100-continue} never has to send it.
 */
final class ObjectRoutes {
    static final int MAX_LIST_LIMIT = 1000;
    private static final int COPY_BUFFER = 256 * 1024;
    /** One range of the form {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n}; others are ignored (full body). */
    private static final Pattern SINGLE_RANGE = Pattern.compile("bytes=(\\d+-\\d*|-\\d+)");

    private final ObjectStore store;
    private final PutCapPolicy caps;
    private final PutSlots slots;
    private final IdempotentPuts idempotent;

    ObjectRoutes(ObjectStore store, PutCapPolicy caps, PutSlots slots, IdempotentPuts idempotent) {
        this.store = store;
        this.caps = caps;
        this.slots = slots;
        this.idempotent = idempotent;
    }

    void install(RoutesConfig r) {
        r.addHttpHandler(HandlerType.PUT, Routes.Storage.OBJECT, this::put);
        r.addHttpHandler(HandlerType.GET, Routes.Storage.OBJECT, this::get);
        r.addHttpHandler(HandlerType.HEAD, Routes.Storage.OBJECT, this::head);
        r.addHttpHandler(HandlerType.DELETE, Routes.Storage.OBJECT, this::delete);
        r.addHttpHandler(HandlerType.GET, Routes.Storage.OBJECTS, this::list);
    }

    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();

    /** storaged's own metrics: bytes stored and served, PUT slots (413/503 counts are in http_server_requests). */
    void bindMetrics(io.micrometer.core.instrument.MeterRegistry m) {
        io.micrometer.core.instrument.Gauge.builder("storaged_puts_in_flight", slots, PutSlots::inFlight)
                .description("PUTs holding a slot").register(m);
        io.micrometer.core.instrument.Gauge.builder("storaged_put_slots", slots, PutSlots::max)
                .description("storaged.max_concurrent_puts").register(m);
        FunctionCounter.builder("storaged_bytes_in", bytesIn, LongAdder::sum).description("bytes stored by PUTs").register(m);
        FunctionCounter.builder("storaged_bytes_out", bytesOut, LongAdder::sum).description("bytes served by GETs").register(m);
    }

    Map<String, Object> health() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("puts_in_flight", slots.inFlight());
        m.put("max_concurrent_puts", slots.max());
        return m;
    }

    void put(Context ctx) throws IOException {
        String key = ObjectKeys.validate(ObjectKeys.fromPath(ctx.pathParam("key"), ctx.req().getRequestURI()));
        StorageAccess.requireWritable(ctx, key);
        String idempotencyKey = IdempotencyStore.keyOf(ctx.header(IdempotencyStore.HEADER));
        long cap = caps.maxPutBytesFor(key);
        long declared = ctx.req().getContentLengthLong();
        if (declared > cap) {
            throw CappedInputStream.tooLarge(key, cap, declared);
        }
        try (PutSlots.Slot slot = slots.acquire()) {
            String type = storedContentType(ctx.contentType());
            // the first read of the body is what makes Jetty send "100 Continue"
            InputStream body = new CappedInputStream(ctx.req().getInputStream(), cap, key);
            if (idempotencyKey != null) {
                IdempotentPuts.Answer a = idempotent.put(key, idempotencyKey, body, declared, type);
                if (a.replayed()) {
                    ctx.header(IdempotencyStore.REPLAYED_HEADER, "true");
                }
                ctx.status(201).json(a.result());
                bytesIn.add(a.result().size());
                return;
            }
            PutResult result = store.put(key, body, declared, type);
            ctx.status(201).json(result);
            bytesIn.add(result.size());
        }
    }

    void get(Context ctx) throws IOException {
        String key = ObjectKeys.validate(ObjectKeys.fromPath(ctx.pathParam("key"), ctx.req().getRequestURI()));
        String range = ctx.header("Range");
        if (range != null && !SINGLE_RANGE.matcher(range.trim()).matches()) {
            range = null; // RFC 9110 §14.2: a server may ignore a Range it does not support
        }
        boolean done = false;
        ResponseInputStream<GetObjectResponse> in = store.get(key, range == null ? null : range.trim());
        try {
            GetObjectResponse r = in.response();
            HttpServletResponse res = ctx.res();
            boolean partial = range != null && r.contentRange() != null;
            res.setStatus(partial ? 206 : 200);
            if (partial) {
                res.setHeader("Content-Range", r.contentRange());
            }
            metadataHeaders(res, r.contentLength(), r.eTag(), r.lastModified(), r.contentType());
            // else Jetty cuts each write into blocking writes of its 32 KiB default buffer
            res.setBufferSize(COPY_BUFFER);
            OutputStream out = res.getOutputStream();
            byte[] buf = new byte[COPY_BUFFER];
            int n;
            long served = 0;
            while ((n = in.read(buf)) != -1) {
                out.write(buf, 0, n);
                served += n;
            }
            bytesOut.add(served);
            out.flush();
            done = true;
        } finally {
            if (!done) {
                in.abort(); // else closing would drain the rest of a large object from S3
            }
            in.close();
        }
    }

    void head(Context ctx) {
        String key = ObjectKeys.validate(ObjectKeys.fromPath(ctx.pathParam("key"), ctx.req().getRequestURI()));
        HeadObjectResponse r = store.head(key);
        ctx.status(200);
        metadataHeaders(ctx.res(), r.contentLength(), r.eTag(), r.lastModified(), r.contentType());
    }

    void delete(Context ctx) {
        String key = ObjectKeys.validate(ObjectKeys.fromPath(ctx.pathParam("key"), ctx.req().getRequestURI()));
        StorageAccess.requireWritable(ctx, key);
        store.delete(key);
        ctx.status(204);
    }

    void list(Context ctx) {
        String prefix = ObjectKeys.validatePrefix(ctx.queryParam("prefix"));
        int limit = limitOf(ctx.queryParam("limit"));
        String cursor = ctx.queryParam("cursor");
        ctx.json(store.list(prefix, limit, cursor == null || cursor.isEmpty() ? null : cursor));
    }

    /**
     * The Content-Type to keep with the object. Form types are what curl's {@code -d} sends by default and
     * never describe an object; passed on, they also make some S3 servers parse the body as form fields.
     */
    static String storedContentType(String requested) {
        if (requested == null || requested.isBlank()) {
            return "application/octet-stream";
        }
        String base = requested.toLowerCase(java.util.Locale.ROOT);
        return base.startsWith("application/x-www-form-urlencoded") || base.startsWith("multipart/form-data")
                ? "application/octet-stream" : requested;
    }

    static int limitOf(String raw) {
        if (raw == null || raw.isEmpty()) {
            return MAX_LIST_LIMIT;
        }
        try {
            int limit = Integer.parseInt(raw.trim());
            if (limit >= 1 && limit <= MAX_LIST_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the 400
        }
        throw new BadRequest("limit must be an integer from 1 to " + MAX_LIST_LIMIT + ", got '" + raw + "'");
    }

    private static void metadataHeaders(HttpServletResponse res, Long length, String etag, Instant lastModified, String type) {
        if (length != null) {
            res.setContentLengthLong(length);
        }
        if (etag != null) {
            res.setHeader("ETag", etag.startsWith("\"") ? etag : "\"" + etag + "\"");
        }
        if (lastModified != null) {
            res.setHeader("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(lastModified.atZone(ZoneOffset.UTC)));
        }
        res.setHeader("Accept-Ranges", "bytes");
        res.setContentType(type != null ? type : "application/octet-stream");
    }
}
