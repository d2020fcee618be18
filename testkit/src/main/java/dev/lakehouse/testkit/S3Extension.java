package dev.lakehouse.testkit;

import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.config.Secrets;
import dev.lakehouse.common.config.SecretsFile;
import dev.lakehouse.common.config.S3Settings;
import dev.lakehouse.common.s3.S3Clients;
import dev.lakehouse.devs3.EmbeddedS3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * JUnit 5 extension: a real embedded S3 server on a free loopback port for the test class, with its own
 * temporary data directory and a secrets file (0600) pointing at it, with a fleet-internal credential.
 * {@link TestFleet} starts services on it.
 *
 * <pre>
 * &#64;RegisterExtension static final S3Extension S3 = new S3Extension();
 * </pre>
 */
public final class S3Extension implements BeforeAllCallback, AfterAllCallback {
    private EmbeddedS3 server;
    private Path dir;
    private Path secretsFile;
    private S3Client client;
    private int users;
    private boolean stopWhenReleased;
    /** One fleet credential per test JVM: every S3Extension's secrets file holds it, so static clients can send it. */
    private static final FleetCredential FLEET = FleetCredential.generate();

    /**
     * Starts the server (once: a {@link TestFleet} may start it first, as JUnit does not promise the order in
     * which a class's {@code @RegisterExtension} fields run).
     */
    @Override
    public synchronized void beforeAll(ExtensionContext context) throws Exception {
        if (server != null) {
            return;
        }
        dir = Files.createTempDirectory("lakehouse-s3-test");
        server = EmbeddedS3.start("127.0.0.1", 0, dir.resolve("s3"), EmbeddedS3.DEV_BUCKET);
        secretsFile = dir.resolve("secrets.toml");
        SecretsFile.write(secretsFile, Secrets.toToml(server.settings()) + FLEET.toToml());
    }

    /** Stops the server, or, while a {@link TestFleet}'s services still run on it, once they have stopped. */
    @Override
    public synchronized void afterAll(ExtensionContext context) throws Exception {
        if (users > 0) {
            stopWhenReleased = true;
            return;
        }
        stop();
    }

    /** A fleet's services run on this server until {@link #release()}. */
    synchronized void use() throws Exception {
        beforeAll(null);
        users++;
    }

    synchronized void release() throws Exception {
        users--;
        if (users == 0 && stopWhenReleased) {
            stopWhenReleased = false;
            stop();
        }
    }

    private void stop() throws Exception {
        if (client != null) {
            client.close();
            client = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
        if (dir != null) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            dir = null;
        }
    }

    public EmbeddedS3 server() {
        return server;
    }

    public S3Settings settings() {
        return server.settings();
    }

    public String bucket() {
        return server.bucket();
    }

    /** A secrets file (TOML) for services under test: pass as {@code secrets_file}. */
    public Path secretsFile() {
        return secretsFile;
    }

    /** The fleet-internal credential in {@link #secretsFile()}: services under test require it, clients send it. */
    public FleetCredential credential() {
        return FLEET;
    }

    /** {@code http} sending {@link #credential()} on every request, for raw HTTP calls to services under test. */
    public static okhttp3.OkHttpClient signing(okhttp3.OkHttpClient http) {
        return FLEET.signing(http);
    }

    /** Scratch directory of this test class (deleted afterwards). */
    public Path tempDir() {
        return dir;
    }

    /** An AWS SDK client on this server, to check what really landed in S3. */
    public synchronized S3Client client() {
        if (client == null) {
            client = S3Clients.create(server.settings());
        }
        return client;
    }
}
