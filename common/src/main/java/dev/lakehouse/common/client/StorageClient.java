package dev.lakehouse.common.client;

import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.error.NotFound;
import dev.lakehouse.common.model.ObjectInfo;
import dev.lakehouse.common.model.ObjectList;
import dev.lakehouse.common.model.PutResult;
import dev.lakehouse.common.routes.Routes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Typed client of storaged. Bodies are streamed both ways; nothing is buffered whole unless asked ({@link #getBytes}). */
public final class StorageClient extends ServiceClient {
    private static final MediaType OCTETS = MediaType.get("application/octet-stream");

    public StorageClient(String baseUrl, FleetCredential credential) {
        this(baseUrl, HttpClients.shared(), credential);
    }

    public StorageClient(String baseUrl, OkHttpClient http, FleetCredential credential) {
        super("storaged", baseUrl, http, credential);
    }

    private HttpUrl objectUrl(String key) {
        // each key segment is percent-encoded; slashes stay path separators
        return url(Routes.Storage.OBJECTS).addPathSegments(key).build();
    }

    public PutResult put(String key, byte[] bytes) {
        return put(key, RequestBody.create(bytes, OCTETS));
    }

    public PutResult put(String key, Path file) {
        return put(key, RequestBody.create(file.toFile(), OCTETS));
    }

    /** Streams {@code length} bytes (or, if -1, a chunked body of unknown length) from {@code in}. */
    public PutResult put(String key, InputStream in, long length) {
        return put(key, new StreamingRequestBody(in, length, OCTETS));
    }

    /**
     * Uploads {@code file} with an {@code Idempotency-Key}: a retry with the same key and bytes (after a lost
     * answer) is answered storaged's original {@code {key,size,etag}} without writing again.
     */
    public PutResult put(String key, Path file, String idempotencyKey) {
        return put(key, RequestBody.create(file.toFile(), OCTETS), idempotencyKey);
    }

    private PutResult put(String key, RequestBody body) {
        return put(key, body, null);
    }

    private PutResult put(String key, RequestBody body, String idempotencyKey) {
        Request.Builder b = new Request.Builder().url(objectUrl(key)).put(body);
        if (idempotencyKey != null) {
            b.header(IDEMPOTENCY_KEY, idempotencyKey);
        }
        try {
            if (body.contentLength() < 0 || body.contentLength() > (1 << 20)) {
                // lets storaged refuse (413/503) before we send the body
                b.header("Expect", "100-continue");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return call(b.build(), PutResult.class);
    }

    /** The object's bytes as a stream; the caller must close it. */
    public InputStream get(String key) {
        Response r = execute(new Request.Builder().url(objectUrl(key)).get().build());
        return r.body().byteStream();
    }

    /** Bytes {@code first}..{@code last} (inclusive, HTTP Range semantics) of the object; the caller must close the stream. */
    public InputStream getRange(String key, long first, long last) {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("bad range " + first + "-" + last);
        }
        Response r = execute(new Request.Builder().url(objectUrl(key)).header("Range", "bytes=" + first + "-" + last).get().build());
        return r.body().byteStream();
    }

    public byte[] getBytes(String key) {
        try (InputStream in = get(key)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + key + " from storaged", e);
        }
    }

    /** Metadata of the object, or empty if absent. */
    public Optional<ObjectInfo> head(String key) {
        try (Response r = execute(new Request.Builder().url(objectUrl(key)).head().build())) {
            String lm = r.header("Last-Modified");
            return Optional.of(new ObjectInfo(key,
                    Long.parseLong(r.header("Content-Length", "0")),
                    stripQuotes(r.header("ETag")),
                    lm == null ? null : java.time.ZonedDateTime.parse(lm,
                            java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()));
        } catch (NotFound e) {
            return Optional.empty();
        }
    }

    public boolean exists(String key) {
        return head(key).isPresent();
    }

    /** Idempotent: deleting an absent key succeeds. */
    public void delete(String key) {
        execute(new Request.Builder().url(objectUrl(key)).delete().build()).close();
    }

    public ObjectList list(String prefix, int limit, String cursor) {
        HttpUrl.Builder u = url(Routes.Storage.OBJECTS);
        if (prefix != null && !prefix.isEmpty()) {
            u.addQueryParameter("prefix", prefix);
        }
        if (limit > 0) {
            u.addQueryParameter("limit", Integer.toString(limit));
        }
        if (cursor != null) {
            u.addQueryParameter("cursor", cursor);
        }
        return call(new Request.Builder().url(u.build()).get().build(), ObjectList.class);
    }

    /** Every object under {@code prefix}, following cursors. */
    public List<ObjectInfo> listAll(String prefix) {
        List<ObjectInfo> all = new ArrayList<>();
        String cursor = null;
        do {
            ObjectList page = list(prefix, 1000, cursor);
            all.addAll(page.objects());
            cursor = page.nextCursor();
        } while (cursor != null);
        return all;
    }

    static String stripQuotes(String etag) {
        if (etag == null) {
            return null;
        }
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }

}
