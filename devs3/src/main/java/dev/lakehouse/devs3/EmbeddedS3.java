package dev.lakehouse.devs3;

import dev.lakehouse.common.config.S3Settings;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * A real S3 server in-process: s3proxy over a directory (filesystem-nio2 backend, keys spelled by
 * {@link FileKeys} so the directory can hold any S3 key and no half-written PUT is ever listed). Speaks the S3 wire
 * protocol with SigV4, multipart, Range, ETag and ListObjectsV2, so storaged and queryd run against it
 * exactly as against MinIO or AWS. Dev and test use only; see docs/adr/0001-embedded-s3-for-dev.md.
 */
public final class EmbeddedS3 implements AutoCloseable {
    public static final String DEV_BUCKET = "lakehouse-primary";
    public static final String DEV_ACCESS_KEY = "lakehouse-dev";
    public static final String DEV_SECRET_KEY = "lakehouse-dev-secret";
    public static final String REGION = "us-east-1";

    private final S3Proxy proxy;
    private final BlobStore store;
    private final String host;
    private final int port;
    private final String bucket;

    private EmbeddedS3(S3Proxy proxy, BlobStore store, String host, int port, String bucket) {
        this.proxy = proxy;
        this.store = store;
        this.host = host;
        this.port = port;
        this.bucket = bucket;
    }

    /** Starts on {@code host:port} (0 = a free port) with objects stored under {@code dataDir/<bucket>/}. */
    public static EmbeddedS3 start(String host, int port, Path dataDir, String bucket) throws Exception {
        Files.createDirectories(dataDir);
        int p = port == 0 ? freePort() : port;
        BlobStore files = new FilesystemNio2BlobStore(dataDir.toAbsolutePath().toString());
        if (!files.containerExists(bucket)) {
            files.createContainer(bucket);
        }
        // keys are re-spelled so the filesystem can hold every key S3 accepts, and temp files stay unseen
        EncodedKeysBlobStore.prepare(dataDir.resolve(bucket));
        BlobStore store = new EncodedKeysBlobStore(files);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://" + host + ":" + p))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, DEV_ACCESS_KEY, DEV_SECRET_KEY)
                .ignoreUnknownHeaders(true)
                .jettyMaxThreads(64)
                .build();
        proxy.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("embedded S3 did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        return new EmbeddedS3(proxy, store, host, proxy.getPort(), bucket);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public String endpoint() {
        return "http://" + host + ":" + port;
    }

    public int port() {
        return port;
    }

    public String bucket() {
        return bucket;
    }

    /** Settings a client needs to reach this server (what a secrets file would hold). */
    public S3Settings settings() {
        return new S3Settings(endpoint(), REGION, bucket, DEV_ACCESS_KEY, DEV_SECRET_KEY);
    }

    /** Direct access to the stored blobs, for tests that check what really landed. */
    public BlobStore blobStore() {
        return store;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
