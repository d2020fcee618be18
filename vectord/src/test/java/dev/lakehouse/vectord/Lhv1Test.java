package dev.lakehouse.vectord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.vectord.engine.Distance;
import dev.lakehouse.vectord.engine.IndexSpec;
import dev.lakehouse.vectord.engine.VectorIndex;
import dev.lakehouse.vectord.lhv1.Lhv1;
import dev.lakehouse.vectord.lhv1.Lhv1Exception;
import dev.lakehouse.vectord.lhv1.Lhv1Header;
import dev.lakehouse.vectord.store.IndexFile;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Lhv1Test {
    @TempDir
    Path dir;
    VectorIndex index;
    float[][] data;
    Path file;

    @BeforeEach
    void build() throws Exception {
        data = TestVectors.clustered(600, 24, 8, 7);
        index = VectorIndex.create(new IndexSpec("lhv", 24, Distance.COSINE, 12, 80, 50));
        index.addAll(VectorIndexTest.items(data, "i"));
        file = dir.resolve("lhv.lhv1");
        IndexFile.write(index, file);
    }

    @Test
    void roundTripGivesTheSameHits() throws Exception {
        byte[] head = new byte[4];
        try (var in = Files.newInputStream(file)) {
            in.readNBytes(head, 0, 4);
        }
        assertEquals("LHV1", new String(head, StandardCharsets.US_ASCII));
        IndexFile.Loaded loaded = IndexFile.read(file, "lhv");
        assertEquals(600, loaded.header().count());
        assertEquals(Distance.COSINE, loaded.header().distance());
        assertEquals(Lhv1Header.ENGINE, loaded.header().engine());
        VectorIndex back = loaded.index();
        assertEquals(index.spec(), back.spec());
        assertEquals(600, back.size());
        for (int q = 0; q < 600; q += 37) {
            assertEquals(index.search(data[q], 10, 50), back.search(data[q], 10, 50), "query " + q);
        }
        assertEquals("{\"n\":5}", back.search(data[5], 1, 50).get(0).metadataJson());
    }

    @Test
    void flippedByteIsAChecksumMismatch() throws Exception {
        long size = Files.size(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(size / 2);
            int b = raf.read();
            raf.seek(size / 2);
            raf.write(b ^ 0x20);
        }
        Lhv1Exception e = assertThrows(Lhv1Exception.class, () -> IndexFile.read(file, "lhv"));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    }

    @Test
    void truncatedFilesAreRefused() throws Exception {
        long size = Files.size(file);
        for (long keep : new long[] {size - 1, size - 16, size / 2, 12, 3, 0}) {
            Path t = dir.resolve("t" + keep);
            try (var in = Files.newInputStream(file); var out = Files.newOutputStream(t)) {
                out.write(in.readNBytes((int) keep));
            }
            Lhv1Exception e = assertThrows(Lhv1Exception.class, () -> IndexFile.read(t, "lhv"), "kept " + keep);
            assertTrue(e.getMessage().contains("truncated"), keep + ": " + e.getMessage());
        }
    }

    @Test
    void wrongMagicAndVersionAreRefused() throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        bytes[0] = 'P';
        bytes[1] = 'K';
        Path zip = dir.resolve("zip");
        Files.write(zip, bytes);
        Lhv1Exception e = assertThrows(Lhv1Exception.class, () -> IndexFile.read(zip, "lhv"));
        assertTrue(e.getMessage().contains("not an LHV1 file"), e.getMessage());

        bytes = Files.readAllBytes(file);
        bytes[5] = 9;
        Path v9 = dir.resolve("v9");
        Files.write(v9, bytes);
        e = assertThrows(Lhv1Exception.class, () -> IndexFile.read(v9, "lhv"));
        assertTrue(e.getMessage().contains("unsupported LHV1 version 9"), e.getMessage());
    }

    @Test
    void fileForAnotherNameIsRefused() {
        Lhv1Exception e = assertThrows(Lhv1Exception.class, () -> IndexFile.read(file, "other"));
        assertTrue(e.getMessage().contains("'lhv'"), e.getMessage());
    }

    /** A well-formed frame (valid CRC) whose payload is a foreign object: the allow-list refuses it unread. */
    @Test
    void allowListRefusesForeignClassesEvenWithAValidChecksum() throws Exception {
        Lhv1Header header = Lhv1Header.of(index.spec(), 0);
        for (Object foreign : List.of(new HashMap<>(java.util.Map.of("a", 1)), new ArrayList<>(List.of(1)),
                new java.util.Date(), new int[] {1, 2, 3})) {
            Path evil = dir.resolve("evil-" + foreign.getClass().getSimpleName().replace("[]", "s"));
            Lhv1.write(evil, header, out -> {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                try (ObjectOutputStream oos = new ObjectOutputStream(b)) {
                    oos.writeObject(foreign);
                }
                out.write(b.toByteArray());
            });
            Lhv1.verify(evil); // the frame itself is fine
            Lhv1Exception e = assertThrows(Lhv1Exception.class, () -> IndexFile.read(evil, "lhv"), foreign.getClass().getName());
            assertTrue(e.getMessage().contains("allow-list"), e.getMessage());
        }
    }

    @Test
    void headerCountMustMatchTheGraph() throws Exception {
        Path lying = dir.resolve("lying");
        try (VectorIndex.Frozen f = index.freeze()) {
            Lhv1.write(lying, Lhv1Header.of(index.spec(), 599), f::writeGraph);
        }
        Lhv1Exception e = assertThrows(Lhv1Exception.class, () -> IndexFile.read(lying, "lhv"));
        assertTrue(e.getMessage().contains("599"), e.getMessage());
    }
}
