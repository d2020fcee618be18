package dev.lakehouse.vectord.store;

import dev.lakehouse.common.StorageLayout;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.model.ObjectInfo;
import dev.lakehouse.vectord.engine.IndexSpec;
import dev.lakehouse.vectord.engine.VectorIndex;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Index files in storaged, one object per index ({@code _vectors/{name}.lhv1}), each written with ONE PUT.
 * A save streams the frame to a local temp file first (bounded memory, known length), then PUTs the file:
 * S3 replaces an object atomically, so a reader sees the previous save or the new one, never a mix.
 */
public final class IndexStore {
    public static final String SUFFIX = ".lhv1";

    private final StorageClient storage;
    private final Path tmpDir;

    public IndexStore(StorageClient storage, Path tmpDir) {
        this.storage = storage;
        this.tmpDir = tmpDir;
        try {
            Files.createDirectories(tmpDir);
            try (Stream<Path> old = Files.list(tmpDir)) {
                old.filter(p -> p.getFileName().toString().endsWith(".part")).forEach(p -> p.toFile().delete());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare vectord temp dir " + tmpDir, e);
        }
    }

    public static String key(String name) {
        return StorageLayout.VECTORS_PREFIX + name + SUFFIX;
    }

    /** {@code writeMs} is the freeze (adds wait, searches go on); {@code walSeq} what the snapshot covers. */
    public record Saved(VectorIndex.Snapshot snapshot, long walSeq, long bytes, long writeMs, long putMs) {}

    /** {@code beforePut} is told the covered sequence after the graph is written and before the PUT. */
    public Saved save(VectorIndex index, long incarnation, java.util.function.LongSupplier covered,
                      java.util.function.LongConsumer beforePut) throws IOException {
        Path tmp = Files.createTempFile(tmpDir, index.name() + "-", ".lhv1.part");
        try {
            IndexFile.Written w = IndexFile.write(index, tmp, incarnation, covered);
            beforePut.accept(w.walSeq());
            long t1 = System.nanoTime();
            storage.put(key(index.name()), tmp);
            long t2 = System.nanoTime();
            return new Saved(w.snapshot(), w.walSeq(), w.bytes(), w.pauseMs(), (t2 - t1) / 1_000_000);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Names of the index files present (keys that are not {@code <valid name>.lhv1} are ignored). */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (ObjectInfo o : storage.listAll(StorageLayout.VECTORS_PREFIX)) {
            String rest = o.key().substring(StorageLayout.VECTORS_PREFIX.length());
            if (rest.endsWith(SUFFIX)) {
                String name = rest.substring(0, rest.length() - SUFFIX.length());
                if (IndexSpec.NAME.matcher(name).matches()) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** Downloads (streamed to a temp file), verifies and loads one index. */
    public IndexFile.Loaded load(String name) throws IOException {
        Path tmp = Files.createTempFile(tmpDir, name + "-", ".lhv1.part");
        try {
            try (InputStream in = storage.get(key(name))) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            return IndexFile.read(tmp, name);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public void delete(String name) {
        storage.delete(key(name));
    }
}
