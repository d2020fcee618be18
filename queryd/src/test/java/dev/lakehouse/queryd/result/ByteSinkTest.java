package dev.lakehouse.queryd.result;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An export's sink (ADR 0045): with a sender thread the bytes leave as without one (same order, same pieces), the
 * writer goes on while the client has not taken the last buffer, at most {@code ahead} full buffers wait, and a
 * failed or stopped send leaves no thread behind.
 */
class ByteSinkTest {
    static final int SIZE = 1 << 12;
    final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void noSenderIsLeft() throws Exception {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        for (int i = 0; i < 100 && senders() > 0; i++) {
            Thread.sleep(20); // a stopped sender has returned; the JVM may list it a moment longer
        }
        assertEquals(0, senders(), "no sender thread outlives its sink");
    }

    static long senders() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("queryd-export-send") && t.isAlive()).count();
    }

    /** Records each write it gets, as the pieces a response would send. */
    static class Pieces extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Integer> sizes = new ArrayList<>();

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
            sizes.add(len);
        }
    }

    /** A client that takes nothing until {@link #open} is counted down, then records what it gets. */
    static final class Gated extends Pieces {
        final CountDownLatch open = new CountDownLatch(1);

        @Override
        public void write(byte[] b, int off, int len) {
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            super.write(b, off, len);
        }
    }

    static void writeMix(ByteSink sink) throws IOException {
        Random r = new Random(7);
        for (int i = 0; i < 3000; i++) {
            byte[] b = new byte[r.nextInt(i % 100 == 0 ? 3 * SIZE : 300)];
            r.nextBytes(b);
            if (b.length == 1) {
                sink.write(b[0]);
            } else {
                sink.write(b, 0, b.length);
            }
        }
        sink.flush();
    }

    @Test
    void withASenderThreadTheBytesLeaveInTheOrderWrittenAndInTheSamePiecesAsWithout() throws IOException {
        Pieces plain = new Pieces();
        Pieces sent = new Pieces();
        try (ByteSink a = new ByteSink(plain, SIZE, 0); ByteSink b = new ByteSink(sent, SIZE, 3)) {
            writeMix(a);
            writeMix(b);
            assertEquals(plain.bytes.size(), b.bytes());
        }
        assertArrayEquals(plain.bytes.toByteArray(), sent.bytes.toByteArray());
        assertTrue(sent.sizes.stream().allMatch(n -> n <= SIZE), "a large write goes through the buffers, in order");
    }

    @Test
    void theWriterGoesOnFillingBuffersWhileTheClientHasNotTakenTheFirstAndWaitsBeyondAhead() throws Exception {
        Gated got = new Gated();
        int ahead = 2;
        ByteSink sink = new ByteSink(got, SIZE, ahead);
        byte[] full = new byte[SIZE];
        // the sender is stuck in the first write; the writer still fills `ahead` more buffers (without a sender
        // it would be stuck in the second write itself)
        pool.submit(() -> {
            for (int i = 0; i < ahead + 1; i++) {
                full[0] = (byte) i;
                sink.write(full, 0, SIZE);
            }
            return null;
        }).get(30, TimeUnit.SECONDS);
        assertEquals((long) ahead * SIZE, sink.bytes(), "two buffers handed over, the third still being filled");
        Thread[] writer = new Thread[1];
        Future<?> beyond = pool.submit(() -> {
            writer[0] = Thread.currentThread();
            sink.write(1); // hands the third over: `ahead` are queued, so it waits for a free buffer
            sink.write(2);
            sink.flush();
            return null;
        });
        for (int i = 0; i < 3000 && (writer[0] == null || writer[0].getState() != Thread.State.WAITING); i++) {
            Thread.sleep(10);
        }
        assertEquals(Thread.State.WAITING, writer[0].getState(), "the writer waits beyond `ahead` queued buffers");
        assertFalse(beyond.isDone());
        assertEquals((long) ahead * SIZE, sink.bytes());
        got.open.countDown();
        beyond.get(30, TimeUnit.SECONDS);
        sink.close();
        assertEquals((ahead + 1) * SIZE + 2, got.bytes.size());
        byte[] all = got.bytes.toByteArray();
        for (int i = 0; i < ahead + 1; i++) {
            assertEquals(i, all[i * SIZE], "buffer " + i + " in its place");
        }
    }

    @Test
    void aSendThatFailsFailsTheWritersNextWriteOrFlush() throws Exception {
        OutputStream gone = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        ByteSink sink = new ByteSink(gone, SIZE, 4);
        IOException e = assertThrows(IOException.class, () -> {
            byte[] full = new byte[SIZE];
            for (int i = 0; i < 1000; i++) {
                sink.write(full, 0, SIZE);
            }
            sink.flush();
        });
        assertTrue(e.getMessage().contains("Broken pipe"), e.getMessage());
        sink.close();
    }

    @Test
    void aStoppedSinkDropsWhatItHadNotSentAndItsSenderEnds() throws Exception {
        Gated got = new Gated();
        ByteSink sink = new ByteSink(got, SIZE, 3);
        byte[] full = new byte[SIZE];
        pool.submit(() -> {
            for (int i = 0; i < 3; i++) {
                sink.write(full, 0, SIZE);
            }
            sink.write(0); // three full buffers handed over: one in the stuck write, two queued
            return null;
        }).get(30, TimeUnit.SECONDS);
        Thread[] stopper = new Thread[1];
        Future<?> stop = pool.submit(() -> {
            stopper[0] = Thread.currentThread();
            sink.stop();
        });
        for (int i = 0; i < 3000 && (stopper[0] == null || stopper[0].getState() != Thread.State.WAITING); i++) {
            Thread.sleep(10); // until stop() has dropped the queue and waits for the sender
        }
        got.open.countDown(); // the write in progress ends; the two queued were dropped
        stop.get(30, TimeUnit.SECONDS);
        assertEquals(SIZE, got.bytes.size(), "only the write in progress finished");
        assertThrows(IOException.class, () -> sink.flush(), "a stopped sink sends nothing more");
    }

    @Test
    void theArrowChannelWritesTheSameIpcStreamAsChannelsNewChannel() throws IOException {
        try (RootAllocator alloc = new RootAllocator(); BigIntVector ids = new BigIntVector("id", alloc);
                VarCharVector texts = new VarCharVector("t", alloc)) {
            int rows = 50_000;
            ids.allocateNew(rows);
            texts.allocateNew(rows);
            for (int i = 0; i < rows; i++) {
                ids.set(i, i * 31L);
                if (i % 7 != 0) {
                    texts.setSafe(i, ("row " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            ids.setValueCount(rows);
            texts.setValueCount(rows);
            try (VectorSchemaRoot root = VectorSchemaRoot.of(ids, texts)) {
                ByteArrayOutputStream reference = new ByteArrayOutputStream();
                try (ArrowStreamWriter w = new ArrowStreamWriter(root, null, Channels.newChannel(reference))) {
                    w.start();
                    w.writeBatch();
                    w.writeBatch();
                    w.end();
                }
                Pieces got = new Pieces();
                try (ByteSink sink = new ByteSink(got, 1 << 16, 2)) {
                    try (ArrowStreamWriter w = new ArrowStreamWriter(root, null, sink.channel())) {
                        w.start();
                        w.writeBatch();
                        w.writeBatch();
                        w.end();
                    }
                    sink.flush();
                }
                assertArrayEquals(reference.toByteArray(), got.bytes.toByteArray());
            }
        }
    }
}
