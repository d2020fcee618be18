package dev.lakehouse.ingestd.pipeline;

import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.model.PutResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads a Parquet file to storaged while DuckDB is still writing it (ADR 0028): one chunked PUT, which storaged
 * turns into a multipart upload, whose body follows the file as it grows. The body's end is sent only after the
 * writer is done and exactly the finished file's length was sent; a longer body is cut short, so storaged aborts the
 * multipart upload and stores nothing. Whether the bytes sent are the finished file's (SHA-256 of both) is checked
 * while storaged stores the last part and completes the upload, not before (ADR 0044: that hash was on the upload's
 * critical path); on a difference the streamed object is not used, and the caller uploads the finished file over it
 * under the same key before anything is registered. A streamed upload that failed for any reason (slots busy,
 * storaged's slow-body cut while DuckDB was busy, the file rewritten) is reported as empty, and the caller uploads
 * the finished file as before: streaming only ever saves time, it never decides an outcome.
 */
final class StreamedUpload {
    private static final Logger log = LoggerFactory.getLogger(StreamedUpload.class);
    /** How often the follower looks for new bytes while the writer is busy. */
    private static final long POLL_MILLIS = 5;

    private enum State { WRITING, FINISHED, ABORTED }

    private final Path file;
    private final Future<PutResult> put;
    private final Object lock = new Object();
    private State state = State.WRITING;
    private long finalSize = -1;
    /** The SHA-256 of every byte the body sent, set (under {@link #lock}) when it ends. */
    private byte[] sentDigest;
    private volatile long sentWhileWriting;

    private final Future<?> intent;

    private StreamedUpload(StorageClient storage, String key, Path file, ExecutorService pool, Future<?> intent) {
        this.file = file;
        this.intent = intent;
        this.put = pool.submit(() -> {
            intent.get(); // no byte is stored before the intent naming the key is (a failure fails this PUT)
            if (!awaitFile()) {
                return null; // aborted before DuckDB wrote anything: no PUT at all
            }
            return storage.put(key, new Follower(), -1);
        });
    }

    /**
     * Starts following {@code file} (it may not exist yet) and uploading it to {@code key} on {@code pool}, once
     * {@code intent} (the write of the upload's intent) has completed.
     */
    static StreamedUpload start(StorageClient storage, String key, Path file, ExecutorService pool, Future<?> intent) {
        return new StreamedUpload(storage, key, file, pool, intent);
    }

    /** Waits for the intent's write; its failure (storaged's error) is the ingest's. */
    void awaitIntent() throws IOException {
        try {
            intent.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException("recording the upload's intent", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while recording an upload's intent");
        }
    }

    /**
     * The writer is done and {@code file} is final: sends the rest, and returns what storaged stored, or empty when
     * the streamed upload cannot be used (then nothing is stored under the key by it).
     */
    Optional<PutResult> finish() throws IOException {
        long size = Files.size(file);
        long during = sentWhileWriting;
        synchronized (lock) {
            finalSize = size;
            state = State.FINISHED;
            lock.notifyAll();
        }
        // hashed while the body's last bytes go out and storaged completes the upload; nothing is registered before
        // the comparison below
        byte[] digest = sha256(file);
        try {
            PutResult r = put.get();
            if (r == null || r.size() != size) {
                return Optional.empty();
            }
            byte[] sent;
            synchronized (lock) {
                sent = sentDigest;
            }
            if (!Arrays.equals(sent, digest)) {
                log.info("streamed upload of {} differs from the finished file (rewritten); uploading the finished file",
                        r.key());
                return Optional.empty();
            }
            log.debug("streamed {} B, {} of them while DuckDB wrote", size, during);
            return Optional.of(r);
        } catch (ExecutionException e) {
            log.info("streamed upload not used ({}); uploading the finished file", e.getCause().toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while finishing an upload");
        }
    }

    /** The file will not be kept: cuts the body short and waits until the PUT has failed (bounded). */
    void abort() {
        synchronized (lock) {
            if (state == State.WRITING) {
                state = State.ABORTED;
            }
            lock.notifyAll();
        }
        try {
            put.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException expected) {
            // the cut body failed the PUT, as intended
        } catch (TimeoutException e) {
            put.cancel(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Bytes that were sent before {@link #finish}: how much of the upload overlapped the conversion. */
    long sentWhileWriting() {
        return sentWhileWriting;
    }

    /** Waits until DuckDB has created the file, so storaged's PUT slot is not held while the body is sniffed. */
    private boolean awaitFile() throws InterruptedException {
        while (!Files.exists(file)) {
            synchronized (lock) {
                if (state == State.ABORTED) {
                    return false;
                }
                if (state == State.FINISHED) {
                    return true;
                }
                lock.wait(POLL_MILLIS);
            }
        }
        return true;
    }

    static byte[] sha256(Path file) throws IOException {
        MessageDigest md = newDigest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return md.digest();
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The PUT's body: the file's bytes as they appear. Ends only when the writer finished and every byte sent is the
     * final file's; any other end is an IOException, which cuts the chunked body so storaged stores nothing.
     */
    private final class Follower extends InputStream {
        private final MessageDigest sent = newDigest();
        private FileChannel ch;
        private long pos;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (true) {
                State s;
                synchronized (lock) {
                    s = state;
                }
                if (s == State.ABORTED) {
                    throw new IOException("upload aborted: the file is not kept");
                }
                // once finished, never past the final length: a body longer than the file must not end as if complete
                int max = s == State.FINISHED ? (int) Math.min(len, Math.max(0, finalSize - pos)) : len;
                int n = max == 0 ? 0 : channel().read(ByteBuffer.wrap(b, off, max), pos);
                if (n > 0) {
                    sent.update(b, off, n);
                    pos += n;
                    if (s == State.WRITING) {
                        sentWhileWriting = pos;
                    }
                    return n;
                }
                if (s == State.FINISHED) {
                    if (pos == finalSize) {
                        synchronized (lock) {
                            sentDigest = sent.digest();
                        }
                        return -1;
                    }
                    throw new IOException("the file changed under the streamed upload (shorter than sent); not stored");
                }
                synchronized (lock) {
                    if (state == State.WRITING) {
                        try {
                            lock.wait(POLL_MILLIS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new InterruptedIOException("upload interrupted");
                        }
                    }
                }
            }
        }

        private FileChannel channel() throws IOException {
            if (ch == null) {
                try {
                    ch = FileChannel.open(file, StandardOpenOption.READ);
                } catch (NoSuchFileException e) {
                    throw new IOException("the file went away under the streamed upload", e);
                }
            }
            return ch;
        }

        @Override
        public void close() throws IOException {
            if (ch != null) {
                ch.close();
            }
        }
    }
}
