package dev.lakehouse.queryd.result;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.junit.jupiter.api.Test;

/** The Arrow writer's channel: the JDK channel's bytes, the batches' large buffers handed on without a copy. */
class DirectSinkTest {
    private static final int ROWS = 50_000; // an id buffer of 400 KB: larger than the gather buffer and STRAIGHT

    @Test
    void anArrowStreamThroughTheDirectSinkIsByteForByteTheOneChannelsNewChannelWrites() throws IOException {
        try (RootAllocator alloc = new RootAllocator(); VectorSchemaRoot root = root(alloc)) {
            ByteArrayOutputStream reference = new ByteArrayOutputStream();
            try (ArrowStreamWriter w = new ArrowStreamWriter(root, null, Channels.newChannel(reference))) {
                write(w);
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            // a gather buffer far smaller than the pieces: small ones split across drains, large ones straight
            DirectSink sink = new DirectSink(new ResponseBody(got), ByteBuffer.allocateDirect(10_000));
            try (ArrowStreamWriter w = new ArrowStreamWriter(root, null, sink)) {
                write(w); // closing the IPC writer closes its channel: the sink must still take the flush
            }
            sink.flush();
            assertTrue(reference.size() > 2 * ROWS * 8, "two batches of both columns");
            assertArrayEquals(reference.toByteArray(), got.toByteArray());
            assertEquals(got.size(), sink.bytes());
        }
    }

    @Test
    void aBatchsLargeBuffersReachTheResponseAsTheyAreOnceTheFirstGatherHasLeft() throws IOException {
        try (RootAllocator alloc = new RootAllocator(); VectorSchemaRoot root = root(alloc)) {
            List<Long> addresses = new ArrayList<>();
            long[] total = {0};
            DirectSink.Out recorder = new DirectSink.Out() {
                @Override
                public void write(ByteBuffer src) {
                    addresses.add(src.isDirect() ? MemoryUtil.getByteBufferAddress(src) + src.position() : -1);
                    total[0] += src.remaining();
                    src.position(src.limit());
                }

                @Override
                public void flush() {}
            };
            ByteBuffer gather = ByteBuffer.allocateDirect(1 << 18);
            DirectSink sink = new DirectSink(recorder, gather);
            try (ArrowStreamWriter w = new ArrowStreamWriter(root, null, sink)) {
                write(w);
            }
            sink.flush();
            long ids = root.getVector("id").getDataBuffer().memoryAddress();
            // the first batch fills the 256 KiB gather buffer (nothing leaves before: a late error is still typed);
            // from then on the id column's 400 KB go to the response from the vector's own memory, no copy
            assertTrue(addresses.contains(ids), "the id buffer was handed on as it is: " + addresses);
            assertEquals(MemoryUtil.getByteBufferAddress(gather), addresses.get(0), "the first write is the gather buffer");
            assertEquals(total[0], sink.bytes());
        }
    }

    @Test
    void nothingLeavesBeforeTheGatherBufferHasFilledOnceHoweverLargeThePiece() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DirectSink sink = new DirectSink(new ResponseBody(out), ByteBuffer.allocateDirect(1 << 18));
        sink.write(ByteBuffer.allocateDirect(100_000)); // a large direct piece, but nothing has left yet
        assertEquals(0, out.size(), "the first 256 KiB stay in queryd: an error before them is a typed one");
        assertEquals(0, sink.bytes());
        sink.write(ByteBuffer.allocateDirect(200_000)); // fills the gather buffer: 256 KiB leave
        assertEquals(1 << 18, out.size());
        sink.write(ByteBuffer.allocateDirect(100_000)); // now straight, after the 37,856 bytes still gathered
        assertEquals(400_000, out.size());
        assertEquals(400_000, sink.bytes());
    }

    private static VectorSchemaRoot root(RootAllocator alloc) {
        BigIntVector ids = new BigIntVector("id", alloc);
        VarCharVector texts = new VarCharVector("t", alloc);
        ids.allocateNew(ROWS);
        texts.allocateNew(ROWS);
        for (int i = 0; i < ROWS; i++) {
            ids.set(i, i * 31L);
            if (i % 7 != 0) {
                texts.setSafe(i, ("row " + i).getBytes(StandardCharsets.UTF_8));
            }
        }
        ids.setValueCount(ROWS);
        texts.setValueCount(ROWS);
        return VectorSchemaRoot.of(ids, texts);
    }

    private static void write(ArrowStreamWriter w) throws IOException {
        w.start();
        w.writeBatch();
        w.writeBatch();
        w.end();
    }
}
