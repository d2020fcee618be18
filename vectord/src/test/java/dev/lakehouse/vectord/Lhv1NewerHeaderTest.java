package dev.lakehouse.vectord;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakehouse.vectord.engine.Distance;
import dev.lakehouse.vectord.engine.IndexSpec;
import dev.lakehouse.vectord.engine.VectorIndex;
import dev.lakehouse.vectord.lhv1.Lhv1;
import dev.lakehouse.vectord.store.IndexFile;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The LHV1 header is JSON a newer writer may add fields to (the frame's version stays 1 while it does):
 * today's reader verifies such a snapshot and loads it whole (issue 26's "tolerant stored records").
 */
class Lhv1NewerHeaderTest {
    @TempDir
    Path dir;

    @Test
    void aSnapshotWhoseHeaderHasFieldsOfANewerWriterIsReadByTodaysReader() throws Exception {
        float[][] data = TestVectors.clustered(200, 16, 4, 3);
        VectorIndex index = VectorIndex.create(new IndexSpec("lhv", 16, Distance.L2, 12, 80, 50));
        index.addAll(VectorIndexTest.items(data, "i"));
        Path today = dir.resolve("today.lhv1");
        IndexFile.write(index, today);

        Path newer = dir.resolve("newer.lhv1");
        Files.write(newer, withHeaderFields(Files.readAllBytes(today), ",\"written_by\":\"a newer build\",\"future\":{\"x\":[1,2]}"));

        IndexFile.Loaded loaded = IndexFile.read(newer, "lhv");
        assertEquals(200, loaded.header().count());
        assertEquals(index.spec(), loaded.index().spec());
        for (int q = 0; q < 200; q += 23) {
            assertEquals(index.search(data[q], 5, 50), loaded.index().search(data[q], 5, 50), "query " + q);
        }
    }

    /** The frame of {@code lhv1} with {@code fields} added to its header's JSON object, lengths and CRC32C made right. */
    static byte[] withHeaderFields(byte[] lhv1, String fields) throws Exception {
        int headerLength = ByteBuffer.wrap(lhv1, 6, 4).getInt();
        String header = new String(lhv1, Lhv1.PREAMBLE, headerLength, StandardCharsets.UTF_8);
        byte[] json = (header.substring(0, header.lastIndexOf('}')) + fields + "}").getBytes(StandardCharsets.UTF_8);
        byte[] payload = Arrays.copyOfRange(lhv1, Lhv1.PREAMBLE + headerLength, lhv1.length - Lhv1.TRAILER);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(Lhv1.MAGIC);
        out.writeShort(Lhv1.VERSION);
        out.writeInt(json.length);
        out.write(json);
        out.write(payload);
        CRC32C crc = new CRC32C();
        crc.update(bytes.toByteArray());
        out.writeLong(payload.length);
        out.writeInt((int) crc.getValue());
        out.write(Lhv1.END);
        return bytes.toByteArray();
    }
}
