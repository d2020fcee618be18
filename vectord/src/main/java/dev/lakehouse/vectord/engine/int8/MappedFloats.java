package dev.lakehouse.vectord.engine.int8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The float originals of an int8 index, off the heap: a slab of {@code dim}-float slots in a memory-mapped
 * local file (ADR 0034). The file is a cache, never durable state: it is unlinked as soon as it is open (the
 * mapping lives on; the space is freed when the last mapping is collected), and a snapshot carries the
 * floats themselves. Slots are handed out in order and never reused (a replaced or removed item's slot stays
 * with its tombstoned graph node until a compaction rebuilds the index, as hnswlib keeps the node).
 */
public final class MappedFloats {
    /** Bytes mapped per chunk: one {@code MappedByteBuffer} holds at most 2 GiB. */
    static final long CHUNK_BYTES = 1L << 28;

    private final int dim;
    private final int slotsPerChunk;
    private final FileChannel channel;
    private final AtomicInteger next = new AtomicInteger();
    private volatile FloatBuffer[] chunks = new FloatBuffer[0];

    private MappedFloats(int dim, FileChannel channel) {
        this.dim = dim;
        this.slotsPerChunk = (int) Math.max(1, CHUNK_BYTES / (4L * dim));
        this.channel = channel;
    }

    /** A new, empty slab in a file under {@code dir} (created if missing). */
    public static MappedFloats create(Path dir, int dim) {
        try {
            Files.createDirectories(dir);
            Path file = Files.createTempFile(dir, "vectord-floats-", ".f32");
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                Files.delete(file); // a cache: nothing to clean up after a crash
            } catch (IOException e) {
                file.toFile().deleteOnExit();
            }
            return new MappedFloats(dim, ch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the float cache under " + dir, e);
        }
    }

    public int dim() {
        return dim;
    }

    /** Slots handed out so far. */
    public int slots() {
        return next.get();
    }

    /** Off-heap bytes in use. */
    public long bytes() {
        return 4L * dim * next.get();
    }

    /** Stores {@code v} in a new slot and returns it. */
    public int add(float[] v) {
        int slot = next.getAndIncrement();
        chunk(slot).put((slot % slotsPerChunk) * dim, v, 0, dim);
        return slot;
    }

    /** Copies slot {@code slot} into {@code dst} (of length ≥ dim). */
    public void get(int slot, float[] dst) {
        chunks[slot / slotsPerChunk].get((slot % slotsPerChunk) * dim, dst, 0, dim);
    }

    /** Reads one float per 64-byte cache line of slot {@code slot}; returns their sum (a load the JIT must keep). */
    public float touch(int slot) {
        FloatBuffer chunk = chunks[slot / slotsPerChunk];
        int base = (slot % slotsPerChunk) * dim;
        float sum = 0;
        for (int i = 0; i < dim; i += 16) {
            sum += chunk.get(base + i);
        }
        return sum;
    }

    public float[] get(int slot) {
        float[] v = new float[dim];
        get(slot, v);
        return v;
    }

    private FloatBuffer chunk(int slot) {
        int c = slot / slotsPerChunk;
        FloatBuffer[] cs = chunks;
        if (c < cs.length) {
            return cs[c];
        }
        synchronized (this) {
            cs = chunks;
            while (cs.length <= c) {
                long offset = (long) cs.length * slotsPerChunk * dim * 4L;
                try {
                    FloatBuffer fb = channel.map(FileChannel.MapMode.READ_WRITE, offset, (long) slotsPerChunk * dim * 4L)
                            .order(ByteOrder.nativeOrder()).asFloatBuffer();
                    cs = Arrays.copyOf(cs, cs.length + 1);
                    cs[cs.length - 1] = fb;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot grow the float cache", e);
                }
            }
            chunks = cs;
            return cs[c];
        }
    }
}
