package dev.lakehouse.queryd.result;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;
import org.apache.arrow.memory.ArrowBuf;

/**
 * A buffer in front of the response for the writers, without {@link java.io.BufferedOutputStream}'s lock: an
 * export writes a few small pieces per cell, 15 million cells for 3M rows × 5 columns, all from one thread.
 *
 * <p>With {@code ahead > 0} a full buffer is handed to a sender thread of its own, which writes it to the response
 * while the writer fills the next one (ADR 0045): the socket write of one buffer no longer stops DuckDB's Arrow
 * conversion or the reading of its COPY pipe. At most {@code ahead} full buffers wait for the sender; a writer
 * that gets further ahead waits for a free one, so an export holds at most {@code (ahead + 1) × size} bytes, and
 * only as many as the client's pace requires (buffers are made as needed). Bytes leave in the order written,
 * in the same pieces as without a sender. The sender only ever writes: flushing, committing and aborting the
 * response stay with the request's thread, after {@link #flush} (everything sent) or {@link #stop} (the sender
 * gone, what it had not sent dropped).
 */
final class ByteSink extends OutputStream {
    private final OutputStream out;
    private final Sender sender;
    private byte[] buf;
    private int n;
    /** Bytes handed to the response (or to the sender) so far. */
    private long handedOver;

    ByteSink(OutputStream out, int size) {
        this(out, size, 0);
    }

    /** @param ahead full buffers that may wait for a sender thread; 0: the writer's thread writes each itself */
    ByteSink(OutputStream out, int size, int ahead) {
        this.out = out;
        this.buf = new byte[size];
        this.sender = ahead > 0 ? new Sender(out, size, ahead) : null;
    }

    @Override
    public void write(int b) throws IOException {
        if (n == buf.length) {
            drain();
        }
        buf[n++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len > buf.length - n) {
            drain();
            if (len > buf.length && sender == null) {
                out.write(b, off, len);
                handedOver += len;
                return;
            }
            if (len > buf.length) {
                for (int at = off; at < off + len; at += buf.length) { // through the buffers, to keep the order
                    write(b, at, Math.min(buf.length, off + len - at));
                }
                return;
            }
        }
        System.arraycopy(b, off, buf, n, len);
        n += len;
    }

    /** {@code len} bytes of an off-heap buffer from {@code from}, copied once, into this buffer. */
    void write(ArrowBuf src, long from, long len) throws IOException {
        while (len > 0) {
            if (n == buf.length) {
                drain();
            }
            int chunk = (int) Math.min(len, buf.length - n);
            src.getBytes(from, buf, n, chunk);
            n += chunk;
            from += chunk;
            len -= chunk;
        }
    }

    /**
     * This sink as the channel an Arrow IPC writer writes to: each (off-heap) buffer is copied once, straight into
     * this buffer. {@link java.nio.channels.Channels#newChannel(OutputStream)} copied it twice, through a byte[]
     * of its own, 8 KiB at a time. Closing the channel (the IPC writer does) closes nothing.
     */
    WritableByteChannel channel() {
        return new WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) throws IOException {
                int len = src.remaining();
                while (src.hasRemaining()) {
                    if (n == buf.length) {
                        drain();
                    }
                    int chunk = Math.min(src.remaining(), buf.length - n);
                    src.get(buf, n, chunk);
                    n += chunk;
                }
                return len;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
                // the response is the route's to finish
            }
        };
    }

    /**
     * Reads from {@code in} straight into the free part of this buffer (sent on once full): the bytes of DuckDB's
     * COPY are copied once, pipe to buffer. The count read, or -1 at the end.
     */
    int readFrom(CopiedCsv in) throws IOException {
        if (n == buf.length) {
            drain();
        }
        int got = in.read(buf, n, buf.length - n);
        if (got > 0) {
            n += got;
        }
        return got;
    }

    /** Bytes handed to the response so far, those still in this buffer not counted. */
    long bytes() {
        return handedOver;
    }

    private void drain() throws IOException {
        if (sender == null) {
            out.write(buf, 0, n);
        } else if (n > 0) {
            buf = sender.send(buf, n);
        }
        handedOver += n;
        n = 0;
    }

    /** Sends everything written (waiting for the sender, if any, to have written it all) and flushes the response. */
    @Override
    public void flush() throws IOException {
        drain();
        if (sender != null) {
            sender.awaitSent();
        }
        out.flush();
    }

    /**
     * Ends the sender thread, if any, dropping what it has not written yet, and returns once it no longer touches
     * the response (a write in progress ends first: the connection's idle timeout bounds it). Idempotent.
     */
    void stop() {
        if (sender != null) {
            sender.stop();
        }
    }

    /** Closing the sink stops its sender; the response itself is the route's to finish. */
    @Override
    public void close() {
        stop();
    }

    /** The thread that writes full buffers to the response, in order, and the buffers it hands back. */
    private static final class Sender implements Runnable {
        private final OutputStream out;
        private final int size;
        private final int ahead;
        private final ArrayDeque<byte[]> queued = new ArrayDeque<>();
        private final ArrayDeque<Integer> lengths = new ArrayDeque<>();
        private final ArrayDeque<byte[]> free = new ArrayDeque<>();
        private final Thread thread;
        private int made;
        private boolean writing;
        private boolean stopped;
        private IOException failed;

        Sender(OutputStream out, int size, int ahead) {
            this.out = out;
            this.size = size;
            this.ahead = ahead;
            this.thread = new Thread(this, "queryd-export-send");
            thread.setDaemon(true);
            thread.start();
        }

        /** Queues {@code n} bytes of {@code full}; the buffer to fill next (waits while {@code ahead} are queued). */
        synchronized byte[] send(byte[] full, int n) throws IOException {
            check();
            queued.add(full);
            lengths.add(n);
            notifyAll();
            while (free.isEmpty() && made >= ahead) {
                waitHere();
                check();
            }
            if (free.isEmpty()) {
                made++;
                return new byte[size];
            }
            return free.poll();
        }

        synchronized void awaitSent() throws IOException {
            while (!queued.isEmpty() || writing) {
                check();
                waitHere();
            }
            check();
        }

        void stop() {
            synchronized (this) {
                stopped = true;
                queued.clear();
                lengths.clear();
                notifyAll();
            }
            boolean interrupted = false;
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        private void check() throws IOException {
            if (failed != null) {
                throw new IOException("sending the answer failed: " + failed.getMessage(), failed);
            }
            if (stopped) {
                throw new IOException("the answer's sender was stopped");
            }
        }

        private void waitHere() throws IOException {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while the answer was sent");
            }
        }

        @Override
        public void run() {
            while (true) {
                byte[] b;
                int n;
                synchronized (this) {
                    while (queued.isEmpty() && !stopped) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            stopped = true;
                        }
                    }
                    if (stopped) {
                        notifyAll();
                        return;
                    }
                    b = queued.poll();
                    n = lengths.poll();
                    writing = true;
                }
                try {
                    out.write(b, 0, n);
                } catch (IOException | RuntimeException e) {
                    synchronized (this) {
                        failed = e instanceof IOException io ? io : new IOException(e.toString(), e);
                        writing = false;
                        notifyAll();
                    }
                    return;
                }
                synchronized (this) {
                    writing = false;
                    free.add(b);
                    notifyAll();
                }
            }
        }
    }
}
