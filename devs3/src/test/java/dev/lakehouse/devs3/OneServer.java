package dev.lakehouse.devs3;

import dev.lakehouse.common.config.S3Settings;
import dev.lakehouse.common.s3.S3Clients;
import java.nio.file.Files;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One embedded server and an SDK client on it per test class, for devs3's own tests: they cannot use the
 * testkit's S3Extension, which depends on devs3. The data directory is left to the OS's temp cleaning.
 */
final class OneServer implements BeforeAllCallback, AfterAllCallback {
    private EmbeddedS3 server;
    private S3Client client;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = EmbeddedS3.start("127.0.0.1", 0, Files.createTempDirectory("devs3-test"), EmbeddedS3.DEV_BUCKET);
        client = S3Clients.create(server.settings());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        client.close();
        server.close();
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
}
