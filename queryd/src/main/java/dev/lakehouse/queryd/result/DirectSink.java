package dev.lakehouse.queryd.result;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * The channel an Arrow IPC writer writes to, with no copy of the data onto the heap: each off-heap buffer of a batch
 * of {@link #STRAIGHT} bytes or more (the column values and offsets: 256-512 KiB each in a batch of 65,536 rows) is
 * handed to the response as it is; the small pieces (the messages' metadata, validity bitmaps, padding) are gathered
 * in {@code gather}, an off-heap buffer of the query's result memory, and leave when it is full or before the next
 * large piece, so the IPC stream's bytes keep their order. Until {@code gather} has filled once, everything is
 * gathered: the first 256 KiB stay in queryd as with the text writers, so an error or a deadline before them is
 * still a typed JSON error and not a cut body (ADR 0042). Closing the channel (the IPC writer does) closes nothing.
 */
final class DirectSink implements WritableByteChannel {
    /** Where the bytes go: the response ({@link ResponseBody}); a buffer may be reused once its write returns. */
    interface Out {
        void write(ByteBuffer src) throws IOException;

        void flush() throws IOException;
    }

    /** A piece this large is written as it is; smaller ones would cost a socket write (and an HTTP chunk) each. */
    static final int STRAIGHT = 1 << 16;
    private final Out out;
    private final ByteBuffer gather;
    /** Bytes handed to the response so far. */
    private long handedOver;

    DirectSink(Out out, ByteBuffer gather) {
        this.out = out;
        this.gather = gather.clear();
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int len = src.remaining();
        if (src.isDirect() && len >= STRAIGHT && handedOver > 0) {
            drain();
            out.write(src);
            handedOver += len;
            return len;
        }
        while (src.hasRemaining()) {
            if (!gather.hasRemaining()) {
                drain();
            }
            int chunk = Math.min(src.remaining(), gather.remaining());
            gather.put(gather.position(), src, src.position(), chunk);
            gather.position(gather.position() + chunk);
            src.position(src.position() + chunk);
        }
        return len;
    }

    /** Bytes handed to the response so far, those still gathered not counted. */
    long bytes() {
        return handedOver;
    }

    void flush() throws IOException {
        drain();
        out.flush();
    }

    private void drain() throws IOException {
        gather.flip();
        int n = gather.remaining();
        if (n > 0) {
            out.write(gather);
            handedOver += n;
        }
        gather.clear();
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void close() {
        // the response is the route's to finish
    }
}
