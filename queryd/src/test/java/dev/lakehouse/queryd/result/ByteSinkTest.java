package dev.lakehouse.queryd.result;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.junit.jupiter.api.Test;

/** The writers' buffer: Arrow IPC through its channel is the stream the JDK's channel gives, and it counts what left. */
class ByteSinkTest {
    @Test
    void anArrowStreamWrittenThroughTheSinksChannelIsByteForByteTheOneChannelsNewChannelWrites() throws IOException {
        try (RootAllocator alloc = new RootAllocator(); BigIntVector ids = new BigIntVector("id", alloc);
                VarCharVector texts = new VarCharVector("t", alloc)) {
            int rows = 50_000; // buffers of 400 KB and more: larger than the sink's, so they are split across drains
            ids.allocateNew(rows);
            texts.allocateNew(rows);
            for (int i = 0; i < rows; i++) {
                ids.set(i, i * 31L);
                if (i % 7 != 0) {
                    texts.setSafe(i, ("row " + i).getBytes(StandardCharsets.UTF_8));
                }
            }
            ids.setValueCount(rows);
            texts.setValueCount(rows);
            try (VectorSchemaRoot root = VectorSchemaRoot.of(ids, texts)) {
                ByteArrayOutputStream reference = new ByteArrayOutputStream();
                try (ArrowStreamWriter w = new ArrowStreamWriter(root, null, Channels.newChannel(reference))) {
                    write(w);
                }
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                ByteSink sink = new ByteSink(got, 1 << 16);
                try (ArrowStreamWriter w = new ArrowStreamWriter(root, null, sink.channel())) {
                    write(w); // closing the IPC writer closes its channel: the sink must still take the flush
                }
                sink.flush();
                assertTrue(reference.size() > 2 * rows * 8, "two batches of both columns");
                assertArrayEquals(reference.toByteArray(), got.toByteArray());
                assertEquals(got.size(), sink.bytes());
            }
        }
    }

    private static void write(ArrowStreamWriter w) throws IOException {
        w.start();
        w.writeBatch();
        w.writeBatch();
        w.end();
    }

    @Test
    void theSinkCountsTheBytesHandedToTheResponseNotThoseStillInItsBuffer() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteSink sink = new ByteSink(out, 100);
        sink.write(new byte[60], 0, 60);
        assertEquals(0, sink.bytes(), "60 bytes wait in the buffer");
        sink.write(new byte[60], 0, 60); // does not fit: the first 60 leave
        assertEquals(60, sink.bytes());
        sink.write(new byte[250], 0, 250); // larger than the buffer: the 60 waiting, then the 250 straight through
        assertEquals(370, sink.bytes());
        sink.write(7);
        sink.flush();
        assertEquals(371, sink.bytes());
        assertEquals(out.size(), sink.bytes());
    }
}
