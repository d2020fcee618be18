package dev.lakehouse.common.client;

import java.io.IOException;
import java.io.InputStream;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;
import okio.Okio;
import okio.Source;

/**
 * A one-shot request body copied from an InputStream as OkHttp writes it (okio's 8 KiB segments), so a
 * multi-GiB body never sits in the heap. {@code length} -1 means unknown: OkHttp sends it chunked.
 */
public final class StreamingRequestBody extends RequestBody {
    /** Opens the body's stream; called once, when OkHttp starts writing. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    private final Opener opener;
    private final long length;
    private final MediaType type;

    public StreamingRequestBody(InputStream in, long length, MediaType type) {
        this(() -> in, length, type);
    }

    /** Opens the stream only when the body is written (e.g. after the server's 100 Continue). */
    public StreamingRequestBody(Opener opener, long length, MediaType type) {
        this.opener = opener;
        this.length = length;
        this.type = type;
    }

    @Override
    public MediaType contentType() {
        return type;
    }

    @Override
    public long contentLength() {
        return length;
    }

    @Override
    public boolean isOneShot() {
        return true;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
        try (Source source = Okio.source(opener.open())) {
            sink.writeAll(source);
        }
    }
}
