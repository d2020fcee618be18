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
    private final InputStream in;
    private final long length;
    private final MediaType type;

    public StreamingRequestBody(InputStream in, long length, MediaType type) {
        this.in = in;
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
        try (Source source = Okio.source(in)) {
            sink.writeAll(source);
        }
    }
}
