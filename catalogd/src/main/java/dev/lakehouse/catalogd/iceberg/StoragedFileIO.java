package dev.lakehouse.catalogd.iceberg;

import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.model.ObjectInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.io.SeekableInputStream;

/**
 * Iceberg's file access over storaged, so catalogd writes its metadata the way it writes manifests (with the
 * fleet credential, through the one service that talks to S3). Locations are {@code s3://{bucket}/{key}} (also
 * {@code s3a://}, {@code s3n://}): the form an engine reading the bucket directly resolves to the same object.
 * Writes spool to a temporary file and are one PUT on close (a manifest of many files is never held in memory);
 * reads are range GETs of at most {@link #READ_CHUNK} bytes at a time.
 */
public final class StoragedFileIO implements FileIO {
    static final int READ_CHUNK = 1 << 20;

    private final StorageClient storage;
    private final String bucket;

    public StoragedFileIO(StorageClient storage, String bucket) {
        this.storage = storage;
        this.bucket = bucket;
    }

    /** The location of {@code key} in the bucket. */
    public String location(String key) {
        return "s3://" + bucket + "/" + key;
    }

    /** The storage key of a location in this bucket; IllegalArgumentException for any other. */
    public String keyOf(String location) {
        int scheme = location.indexOf("://");
        String s = scheme < 0 ? "" : location.substring(0, scheme);
        if (!s.equals("s3") && !s.equals("s3a") && !s.equals("s3n")) {
            throw new IllegalArgumentException("not an s3:// location: " + location);
        }
        String rest = location.substring(scheme + 3);
        if (!rest.startsWith(bucket + "/") || rest.length() == bucket.length() + 1) {
            throw new IllegalArgumentException("not an object of bucket " + bucket + ": " + location);
        }
        return rest.substring(bucket.length() + 1);
    }

    @Override
    public InputFile newInputFile(String location) {
        return new In(location, -1);
    }

    @Override
    public InputFile newInputFile(String location, long length) {
        return new In(location, length);
    }

    @Override
    public OutputFile newOutputFile(String location) {
        return new Out(location);
    }

    @Override
    public void deleteFile(String location) {
        storage.delete(keyOf(location));
    }

    private final class In implements InputFile {
        private final String location;
        private final String key;
        private long length;

        In(String location, long length) {
            this.location = location;
            this.key = keyOf(location);
            this.length = length;
        }

        @Override
        public long getLength() {
            if (length < 0) {
                length = storage.head(key).map(ObjectInfo::size)
                        .orElseThrow(() -> new NotFoundException("no object at %s", location));
            }
            return length;
        }

        @Override
        public SeekableInputStream newStream() {
            return new RangeStream(key, getLength());
        }

        @Override
        public String location() {
            return location;
        }

        @Override
        public boolean exists() {
            return storage.exists(key);
        }
    }

    /** Reads through a window of at most {@link #READ_CHUNK} bytes, refilled by one range GET where the position is. */
    private final class RangeStream extends SeekableInputStream {
        private final String key;
        private final long length;
        private long pos;
        private byte[] window = new byte[0];
        private long windowStart;

        RangeStream(String key, long length) {
            this.key = key;
            this.length = length;
        }

        @Override
        public long getPos() {
            return pos;
        }

        @Override
        public void seek(long newPos) throws IOException {
            if (newPos < 0 || newPos > length) {
                throw new IOException("seek to " + newPos + " outside 0.." + length + " of " + key);
            }
            pos = newPos;
        }

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
            if (pos >= length) {
                return -1;
            }
            if (pos < windowStart || pos >= windowStart + window.length) {
                long last = Math.min(length, pos + READ_CHUNK) - 1;
                try (InputStream in = storage.getRange(key, pos, last)) {
                    window = in.readAllBytes();
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
                windowStart = pos;
                if (window.length == 0) {
                    throw new IOException("storaged returned no bytes of " + key + " at " + pos);
                }
            }
            int from = (int) (pos - windowStart);
            int n = Math.min(len, window.length - from);
            System.arraycopy(window, from, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public void close() {
            window = new byte[0];
        }
    }

    private final class Out implements OutputFile {
        private final String location;

        Out(String location) {
            this.location = location;
        }

        @Override
        public PositionOutputStream create() {
            // metadata objects get fresh names (or versioned ones written once): no need for a conditional PUT here
            return createOrOverwrite();
        }

        @Override
        public PositionOutputStream createOrOverwrite() {
            try {
                return new SpoolStream(keyOf(location), Files.createTempFile("iceberg-meta", ".spool"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot spool " + location, e);
            }
        }

        @Override
        public String location() {
            return location;
        }

        @Override
        public InputFile toInputFile() {
            return newInputFile(location);
        }
    }

    /** Spools to a temporary file; the PUT happens on close, so a failed write leaves no half object. */
    private final class SpoolStream extends PositionOutputStream {
        private final String key;
        private final Path spool;
        private final OutputStream out;
        private long pos;
        private boolean closed;

        SpoolStream(String key, Path spool) throws IOException {
            this.key = key;
            this.spool = spool;
            this.out = Files.newOutputStream(spool);
        }

        @Override
        public long getPos() {
            return pos;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            pos++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            pos += len;
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                out.close();
                storage.put(key, spool);
            } finally {
                Files.deleteIfExists(spool);
            }
        }
    }
}
