package dev.lakehouse.ingestd.spool;

import com.github.luben.zstd.ZstdInputStream;
import dev.lakehouse.common.error.ApiException;
import dev.lakehouse.common.error.BadRequest;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Undoes a compressed request body while it is spooled: {@code Content-Encoding: gzip|zstd}, or — without the
 * header — a body starting with gzip's or zstd's magic bytes (a {@code .csv.gz} sent as is). Memory stays bounded:
 * gzip's window is 32 KiB, zstd's is capped by zstd-jni's default window limit (2^27 B); the spool's size cap counts
 * the decompressed bytes, so a small body that inflates without end is refused with 413 once past it.
 */
public final class BodyDecoder {
    private BodyDecoder() {}

    /** The decoded stream of {@code raw} for {@code contentEncoding} (null or identity: sniff the magic bytes). */
    public static InputStream decode(InputStream raw, String contentEncoding) throws IOException {
        String enc = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        InputStream in = new BufferedInputStream(raw, 1 << 16);
        try {
            return switch (enc) {
                case "gzip", "x-gzip" -> new GZIPInputStream(in, 1 << 16);
                case "zstd" -> new ZstdInputStream(in);
                case "", "identity" -> sniffed(in);
                default -> throw new ApiException(415, "Content-Encoding '" + contentEncoding
                        + "' is not supported (gzip, zstd or none)", Map.of("code", "unsupported_encoding"), null);
            };
        } catch (ZipException | EOFException e) { // GZIPInputStream reads the header at once
            throw new BadRequest("the gzip body is corrupt: " + e.getMessage(), Map.of("code", "corrupt_body"));
        }
    }

    private static InputStream sniffed(InputStream in) throws IOException {
        in.mark(4);
        byte[] head = in.readNBytes(4);
        in.reset();
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return new GZIPInputStream(in, 1 << 16);
        }
        if (head.length == 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) {
            return new ZstdInputStream(in);
        }
        return in;
    }
}
