package dev.lakehouse.vectord.store;

import dev.lakehouse.vectord.engine.VectorIndex;
import dev.lakehouse.vectord.lhv1.Lhv1;
import dev.lakehouse.vectord.lhv1.Lhv1Exception;
import dev.lakehouse.vectord.lhv1.Lhv1Header;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/** An index as one LHV1 file: the spec in the header, hnswlib's graph as the payload. */
public final class IndexFile {
    private IndexFile() {}

    /** What a write captured: the WAL sequence it covers and how long adds waited for it ({@code pauseMs}). */
    public record Written(VectorIndex.Snapshot snapshot, long walSeq, long bytes, long pauseMs) {}

    public static Written write(VectorIndex index, Path file) throws IOException {
        return write(index, file, 0, () -> 0);
    }

    /**
     * Writes the index to {@code file}; adds and removes wait while the graph is written, searches do not.
     * {@code covered} is read while they wait: the last WAL sequence whose every change is in this graph.
     */
    public static Written write(VectorIndex index, Path file, long incarnation, LongSupplier covered) throws IOException {
        long t0 = System.nanoTime();
        try (VectorIndex.Frozen frozen = index.freeze()) {
            long seq = covered.getAsLong();
            long bytes = Lhv1.write(file, Lhv1Header.of(index.spec(), frozen.snapshot().count(), incarnation, seq,
                    index.tombstones()), frozen::writeGraph);
            return new Written(frozen.snapshot(), seq, bytes, (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /**
     * Verifies the frame (magic, lengths, CRC32C) and only then deserializes the graph through the allow-list.
     * Every way this can fail surfaces as an {@link Lhv1Exception} naming the cause.
     */
    public record Loaded(VectorIndex index, Lhv1Header header, long bytes) {}

    public static Loaded read(Path file, String expectedName) throws IOException {
        Lhv1.Frame frame = Lhv1.verify(file);
        Lhv1Header h = frame.header();
        if (expectedName != null && !expectedName.equals(h.name())) {
            throw new Lhv1Exception("header names index '" + h.name() + "' but the file is for '" + expectedName + "'");
        }
        VectorIndex index;
        try (InputStream in = frame.payload()) {
            index = VectorIndex.readGraph(h.spec(), in);
        } catch (InvalidClassException e) {
            throw new Lhv1Exception("graph refused by the deserialization allow-list (" + e.getMessage() + ")", e);
        } catch (IOException | RuntimeException e) {
            throw new Lhv1Exception("graph unreadable: " + e, e);
        }
        if (index.size() != h.count()) {
            throw new Lhv1Exception("header says " + h.count() + " items, graph holds " + index.size());
        }
        return new Loaded(index, h, java.nio.file.Files.size(file));
    }
}
