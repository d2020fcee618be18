package dev.lakehouse.vectord.lhv1;

import dev.lakehouse.common.json.Json;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * The LHV1 frame: one self-checking file per index, written and read as a stream.
 *
 * <pre>
 *   "LHV1"            4 bytes magic
 *   version           u16 (big-endian): 1, or 2 when the header names a quantization (an older build,
 *                     which reads 1 only, then refuses the file instead of misreading its payload)
 *   header length H   u32
 *   header            H bytes of UTF-8 JSON ({@link Lhv1Header})
 *   payload           P bytes (the HNSW graph)
 *   trailer           u64 P | u32 CRC32C of every byte before the trailer | "LHVE"
 * </pre>
 *
 * The trailer goes last so the writer needs no seek and no buffer: the payload streams through a CRC32C.
 * A reader verifies the magic, the trailer, the lengths and the checksum of the whole file before any
 * payload byte is interpreted, so a truncated or altered file is refused without deserializing anything.
 */
public final class Lhv1 {
    public static final byte[] MAGIC = "LHV1".getBytes(StandardCharsets.US_ASCII);
    public static final byte[] END = "LHVE".getBytes(StandardCharsets.US_ASCII);
    /** The newest version this build writes and reads. */
    public static final int VERSION = 2;
    /** The oldest version this build reads. */
    public static final int MIN_VERSION = 1;
    public static final int PREAMBLE = 4 + 2 + 4;
    public static final int TRAILER = 8 + 4 + 4;
    public static final int MAX_HEADER = 64 * 1024;

    private Lhv1() {}

    /** Writes the payload (streamed, never held whole). */
    @FunctionalInterface
    public interface PayloadWriter {
        void write(OutputStream out) throws IOException;
    }

    /** Writes a complete frame to {@code out} (not closed); returns the number of bytes written. */
    public static long write(OutputStream out, Lhv1Header header, PayloadWriter payload) throws IOException {
        byte[] json = Json.bytes(header);
        CRC32C crc = new CRC32C();
        CountingOutputStream counted = new CountingOutputStream(out);
        DataOutputStream data = new DataOutputStream(new CheckedOutputStream(counted, crc));
        data.write(MAGIC);
        data.writeShort(versionFor(header));
        data.writeInt(json.length);
        data.write(json);
        data.flush();
        long payloadStart = counted.count;
        payload.write(data);
        data.flush();
        long payloadLength = counted.count - payloadStart;
        DataOutputStream trailer = new DataOutputStream(counted);
        trailer.writeLong(payloadLength);
        trailer.writeInt((int) crc.getValue());
        trailer.write(END);
        trailer.flush();
        return counted.count;
    }

    /**
     * The version a frame is written with: 1 (every reader so far takes it) unless its payload needs a
     * version-2 reader (an int8 index's float section).
     */
    public static int versionFor(Lhv1Header header) {
        return header.quantization() == null ? 1 : 2;
    }

    /** Writes a frame to a file; returns its size. */
    public static long write(Path file, Lhv1Header header, PayloadWriter payload) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            return write(out, header, payload);
        }
    }

    /** A verified frame on disk: its header and where its payload lies. */
    public record Frame(Path file, Lhv1Header header, long payloadOffset, long payloadLength) {
        /** The payload bytes, bounded to the payload (a reader cannot run into the trailer). */
        public InputStream payload() throws IOException {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            ch.position(payloadOffset);
            return new BufferedInputStream(new BoundedInputStream(java.nio.channels.Channels.newInputStream(ch),
                    payloadLength), 1 << 16);
        }
    }

    /**
     * Checks everything that can be checked without interpreting the payload: magic, version, trailer,
     * lengths, CRC32C, header JSON. Throws {@link Lhv1Exception} naming what is wrong.
     */
    public static Frame verify(Path file) throws IOException {
        long size = Files.size(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (size < PREAMBLE) {
                throw new Lhv1Exception("truncated: " + size + " bytes is shorter than the LHV1 preamble");
            }
            ByteBuffer pre = read(ch, 0, PREAMBLE);
            byte[] magic = new byte[4];
            pre.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new Lhv1Exception("not an LHV1 file: magic is " + printable(magic) + ", expected LHV1");
            }
            int version = Short.toUnsignedInt(pre.getShort());
            if (version < MIN_VERSION || version > VERSION) {
                throw new Lhv1Exception("unsupported LHV1 version " + version + " (this build reads " + MIN_VERSION
                        + ".." + VERSION + ")");
            }
            long headerLength = Integer.toUnsignedLong(pre.getInt());
            if (headerLength > MAX_HEADER) {
                throw new Lhv1Exception("header length " + headerLength + " exceeds " + MAX_HEADER + " (corrupt)");
            }
            long payloadOffset = PREAMBLE + headerLength;
            if (size < payloadOffset + TRAILER) {
                throw new Lhv1Exception("truncated: " + size + " bytes, the header alone needs " + (payloadOffset + TRAILER));
            }
            ByteBuffer tr = read(ch, size - TRAILER, TRAILER);
            long payloadLength = tr.getLong();
            int storedCrc = tr.getInt();
            byte[] end = new byte[4];
            tr.get(end);
            if (!Arrays.equals(end, END)) {
                throw new Lhv1Exception("truncated or damaged: no LHVE trailer at the end of " + size + " bytes");
            }
            if (payloadOffset + payloadLength + TRAILER != size) {
                throw new Lhv1Exception("length mismatch: trailer says payload is " + payloadLength + " bytes, file has "
                        + (size - TRAILER - payloadOffset) + " (truncated or padded)");
            }
            int actualCrc = crc32c(ch, size - TRAILER);
            if (actualCrc != storedCrc) {
                throw new Lhv1Exception(String.format("checksum mismatch: CRC32C is %08x, trailer says %08x (file altered or corrupt)",
                        actualCrc, storedCrc));
            }
            ByteBuffer h = read(ch, PREAMBLE, (int) headerLength);
            Lhv1Header header;
            try {
                header = Json.TOLERANT.readValue(h.array(), Lhv1Header.class); // a newer writer may add header fields
                header.spec();
            } catch (IOException | IllegalArgumentException e) {
                throw new Lhv1Exception("bad LHV1 header: " + e.getMessage(), e);
            }
            return new Frame(file, header, payloadOffset, payloadLength);
        }
    }

    private static ByteBuffer read(FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.BIG_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                throw new Lhv1Exception("truncated: unexpected end of file");
            }
        }
        b.flip();
        return b;
    }

    private static int crc32c(FileChannel ch, long length) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        long pos = 0;
        while (pos < length) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), length - pos));
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new Lhv1Exception("truncated: unexpected end of file");
            }
            buf.flip();
            crc.update(buf);
            pos += n;
        }
        return (int) crc.getValue();
    }

    private static String printable(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(x >= 32 && x < 127 ? String.valueOf((char) x) : String.format("\\x%02x", x & 0xff));
        }
        return "'" + s + "'";
    }

    static final class CountingOutputStream extends OutputStream {
        private final OutputStream out;
        long count;

        CountingOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }

    static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedInputStream(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
