package dev.lakehouse.storaged;

import dev.lakehouse.common.StorageLayout;
import dev.lakehouse.common.config.Config;

/**
 * How many bytes one PUT may carry, by key prefix. Per prefix, not one global figure: 256 MiB keeps its
 * value as a guard against runaway clients on every routine path, while vectord's single-PUT LHV1 index
 * files under {@link StorageLayout#VECTORS_PREFIX} may reach 4 GiB (one PUT per save is what makes saves
 * atomic, so splitting the file is not the answer). See docs/adr/0003-per-prefix-put-caps-and-streaming.md.
 */
public final class PutCapPolicy {
    public static final long DEFAULT_MAX_PUT_BYTES = 256L << 20;
    public static final long DEFAULT_MAX_PUT_BYTES_VECTORS = 4L << 30;

    private final long maxPutBytes;
    private final long maxPutBytesVectors;

    public PutCapPolicy(long maxPutBytes, long maxPutBytesVectors) {
        if (maxPutBytes < 0 || maxPutBytesVectors < 0) {
            throw new IllegalArgumentException("PUT caps must be >= 0");
        }
        this.maxPutBytes = maxPutBytes;
        this.maxPutBytesVectors = maxPutBytesVectors;
    }

    /** {@code storaged.max_put_bytes} (default 256 MiB) and {@code storaged.max_put_bytes_vectors} (default 4 GiB). */
    public static PutCapPolicy from(Config config) {
        return new PutCapPolicy(
                config.get(StoragedKeys.MAX_PUT_BYTES), config.get(StoragedKeys.MAX_PUT_BYTES_VECTORS));
    }

    public static PutCapPolicy defaults() {
        return new PutCapPolicy(DEFAULT_MAX_PUT_BYTES, DEFAULT_MAX_PUT_BYTES_VECTORS);
    }

    /** The largest body a PUT of {@code key} may have, in bytes. */
    public long maxPutBytesFor(String key) {
        return key != null && key.startsWith(StorageLayout.VECTORS_PREFIX) ? maxPutBytesVectors : maxPutBytes;
    }
}
