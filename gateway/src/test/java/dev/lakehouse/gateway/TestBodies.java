package dev.lakehouse.gateway;

import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

/** Request bodies for the gateway's tests: large, of declared length, generated as they are sent. */
final class TestBodies {
    private TestBodies() {}

    @FunctionalInterface
    interface Writer {
        void writeTo(BufferedSink sink) throws IOException;
    }

    /** {@code length} bytes of application/octet-stream, written by {@code writer} when OkHttp sends the body. */
    static RequestBody octets(long length, Writer writer) {
        return new RequestBody() {
            @Override
            public MediaType contentType() {
                return MediaType.get("application/octet-stream");
            }

            @Override
            public long contentLength() {
                return length;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                writer.writeTo(sink);
            }
        };
    }
}
