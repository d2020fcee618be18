package dev.lakehouse.devs3;

import dev.lakehouse.common.config.S3Settings;
import dev.lakehouse.common.s3.S3Clients;
import java.nio.file.Path;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One embedded server and an SDK client on it, for devs3's own tests: they cannot use the testkit's S3Extension,
 * which depends on devs3.
 */
final class OneServer implements AutoCloseable {
    private final EmbeddedS3 server;
    private final S3Client client;

    OneServer(Path dir) throws Exception {
        server = EmbeddedS3.start("127.0.0.1", 0, dir, EmbeddedS3.DEV_BUCKET);
        client = S3Clients.create(server.settings());
    }

    S3Client client() {
        return client;
    }

    String bucket() {
        return server.bucket();
    }

    S3Settings settings() {
        return server.settings();
    }

    @Override
    public void close() throws Exception {
        client.close();
        server.close();
    }
}
