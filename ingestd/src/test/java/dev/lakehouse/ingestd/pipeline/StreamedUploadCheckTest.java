package dev.lakehouse.ingestd.pipeline;

import static dev.lakehouse.common.config.Service.STORAGED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.common.model.PutResult;
import dev.lakehouse.storaged.StoragedMain;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link StreamedUpload}'s own guarantee, against a real storaged: its answer is used only when what storaged stored
 * is the finished file. Since the hash of the finished file is compared after the body ended (ADR 0044), a rewrite
 * that keeps the length is caught by that comparison alone; one that makes the file shorter than what was sent cuts
 * the body, so nothing is stored.
 */
class StreamedUploadCheckTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3).with(STORAGED, StoragedMain::start);
    static final ExecutorService POOL = Executors.newCachedThreadPool();

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Waits until the upload has sent {@code bytes} (the follower caught up with the writer). */
    static void awaitSent(StreamedUpload u, long bytes) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (u.sentWhileWriting() < bytes) {
            assertTrue(System.nanoTime() < deadline, "the follower sent " + u.sentWhileWriting() + " of " + bytes + " B");
            Thread.sleep(5);
        }
    }

    /** A streamed upload of {@code file} (new), once it holds {@code size} random bytes and the follower sent them all. */
    static StreamedUpload sentInFull(Path file, int size, long seed) throws InterruptedException, java.io.IOException {
        StreamedUpload u = StreamedUpload.start(FLEET.storage(), "datasets/check/" + file.getFileName(), file, POOL,
                CompletableFuture.completedFuture(null));
        Files.write(file, random(size, seed));
        awaitSent(u, size);
        return u;
    }

    @Test
    void aFileFollowedWhileItGrowsIsStoredByteForByte() throws Exception {
        Path file = S3.tempDir().resolve("grows.parquet");
        StreamedUpload u = sentInFull(file, 300_000, 1);
        Files.write(file, random(700_000, 2), StandardOpenOption.APPEND);

        Optional<PutResult> r = u.finish();

        assertTrue(r.isPresent(), "the streamed upload is used");
        assertEquals(1_000_000, r.get().size());
        assertArrayEquals(Files.readAllBytes(file), FLEET.storage().getBytes("datasets/check/grows.parquet"));
    }

    @Test
    void aFileRewrittenAtTheSameLengthAfterItWasSentIsNotTakenFromTheStream() throws Exception {
        Path file = S3.tempDir().resolve("rewritten.parquet");
        StreamedUpload u = sentInFull(file, 400_000, 3);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write(random(1000, 4)); // the first 1000 bytes again, differently: the length stays 400,000
        }

        assertFalse(u.finish().isPresent(), "bytes sent before the rewrite are not the finished file");
    }

    @Test
    void aFileCutShorterThanWhatWasSentIsNotStoredAtAll() throws Exception {
        Path file = S3.tempDir().resolve("shorter.parquet");
        StreamedUpload u = sentInFull(file, 300_000, 5);
        Files.write(file, random(100_000, 6)); // truncated and rewritten shorter

        assertFalse(u.finish().isPresent());
        assertFalse(FLEET.storage().exists("datasets/check/shorter.parquet"), "the cut body stored nothing");
    }

    /** A streamed upload of {@code file} (new) waiting for {@code intent}, once the file holds {@code size} random bytes. */
    static StreamedUpload writtenAwaiting(CompletableFuture<Void> intent, Path file, int size, long seed) throws java.io.IOException {
        StreamedUpload u = StreamedUpload.start(FLEET.storage(), "datasets/check/" + file.getFileName(), file, POOL, intent);
        Files.write(file, random(size, seed));
        return u;
    }

    @Test
    void noByteIsSentBeforeTheUploadsIntentIsRecorded() throws Exception {
        CompletableFuture<Void> intent = new CompletableFuture<>();
        Path file = S3.tempDir().resolve("intent-first.parquet");
        StreamedUpload u = writtenAwaiting(intent, file, 200_000, 7);
        Thread.sleep(300); // ample for the follower to send 200 KB, were it allowed to
        assertEquals(0, u.sentWhileWriting(), "the follower waits for the intent");

        intent.complete(null);
        awaitSent(u, 200_000);
        assertTrue(u.finish().isPresent());
        u.awaitIntent();
        assertArrayEquals(Files.readAllBytes(file), FLEET.storage().getBytes("datasets/check/intent-first.parquet"));
    }

    @Test
    void anIntentThatCouldNotBeRecordedStoresNothingAndFailsTheIngest() throws Exception {
        CompletableFuture<Void> intent = new CompletableFuture<>();
        StreamedUpload u = writtenAwaiting(intent, S3.tempDir().resolve("no-intent.parquet"), 100_000, 8);
        intent.completeExceptionally(new IllegalStateException("storaged refused the intent"));

        IllegalStateException e = assertThrows(IllegalStateException.class, u::awaitIntent);
        assertEquals("storaged refused the intent", e.getMessage());
        assertFalse(u.finish().isPresent(), "the streamed upload is not used");
        assertFalse(FLEET.storage().exists("datasets/check/no-intent.parquet"), "nothing stored without its intent");
    }
}
