package dev.lakehouse.devs3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.common.s3.S3Clients;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** kill -9 of the embedded S3 server in the middle of a PUT: the half-written object is never listed or served. */
class KilledPutTest {
    @TempDir
    Path dir;

    @Test
    void aPutCutShortByKillMinus9IsNeverListedAndItsTempFileIsRemovedOnRestart() throws Exception {
        int port = EmbeddedS3.freePort();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DevS3Main.class.getName())
                .redirectErrorStream(true).redirectOutput(dir.resolve("devs3.log").toFile());
        pb.environment().put("LAKEHOUSE_DATA_DIR", dir.toString());
        pb.environment().put("LAKEHOUSE_S3_PORT", Integer.toString(port));
        Process child = pb.start();
        Path bucketDir = dir.resolve("s3").resolve(EmbeddedS3.DEV_BUCKET);
        var settings = new dev.lakehouse.common.config.S3Settings("http://127.0.0.1:" + port, EmbeddedS3.REGION,
                EmbeddedS3.DEV_BUCKET, EmbeddedS3.DEV_ACCESS_KEY, EmbeddedS3.DEV_SECRET_KEY);
        try (S3Client s3 = S3Clients.create(settings)) {
            awaitPort(port);
            s3.putObject(b -> b.bucket(EmbeddedS3.DEV_BUCKET).key("data/kept.bin"), RequestBody.fromBytes(new byte[10]));
            CountDownLatch halfSent = new CountDownLatch(1);
            Thread put = new Thread(() -> {
                try {
                    s3.putObject(b -> b.bucket(EmbeddedS3.DEV_BUCKET).key("data/big.bin").contentLength(64L << 20),
                            RequestBody.fromContentProvider(() -> new HalfThenStall(8 << 20, halfSent), 64L << 20,
                                    "application/octet-stream"));
                } catch (RuntimeException expected) {
                    // the server dies under it
                }
            });
            put.setDaemon(true);
            put.start();
            assertTrue(halfSent.await(30, TimeUnit.SECONDS));
            Path temp = awaitTempFile(bucketDir);
            assertEquals(List.of("data/kept.bin"), keys(s3), "a PUT in flight is not listed");

            child.destroyForcibly(); // SIGKILL: no finally block of the server runs
            child.waitFor(10, TimeUnit.SECONDS);
            assertTrue(Files.exists(temp), "the kill left the temp file behind (the case under test)");
        } finally {
            child.destroyForcibly();
        }
        try (EmbeddedS3 again = EmbeddedS3.start("127.0.0.1", 0, dir.resolve("s3"), EmbeddedS3.DEV_BUCKET);
             S3Client s3 = S3Clients.create(again.settings())) {
            assertEquals(List.of("data/kept.bin"), keys(s3), "after the restart only the acknowledged object");
            assertFalse(tempFile(bucketDir).isPresent(), "the temp file is removed at start");
        }
    }

    private static List<String> keys(S3Client s3) {
        return s3.listObjectsV2(b -> b.bucket(EmbeddedS3.DEV_BUCKET)).contents().stream().map(S3Object::key).toList();
    }

    private static void awaitPort(int port) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("devs3 did not start");
    }

    private static Path awaitTempFile(Path bucketDir) throws Exception {
        for (int i = 0; i < 300; i++) {
            var t = tempFile(bucketDir);
            if (t.isPresent() && Files.size(t.get()) > 0) {
                return t.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no temp file appeared under " + bucketDir);
    }

    private static java.util.Optional<Path> tempFile(Path bucketDir) throws IOException {
        try (Stream<Path> walk = Files.walk(bucketDir)) {
            return walk.filter(p -> p.getFileName().toString().matches(".*-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"))
                    .findFirst();
        }
    }

    /** Yields {@code first} zero bytes, then blocks until the server is gone. */
    private static final class HalfThenStall extends InputStream {
        private long left;
        private final CountDownLatch halfSent;

        HalfThenStall(long first, CountDownLatch halfSent) {
            this.left = first;
            this.halfSent = halfSent;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                halfSent.countDown();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return -1;
            }
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            left -= n;
            return n;
        }
    }
}
