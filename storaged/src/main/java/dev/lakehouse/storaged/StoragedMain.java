package dev.lakehouse.storaged;

import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.FleetKeys;
import dev.lakehouse.common.config.S3Settings;
import dev.lakehouse.common.config.Secrets;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.idempotency.IdempotencyStore;
import dev.lakehouse.common.s3.S3Clients;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Wires config → the storaged server: object I/O over the primary S3 bucket with per-prefix PUT caps
 * ({@code storaged.max_put_bytes}, {@code storaged.max_put_bytes_vectors}), a PUT concurrency cap
 * ({@code storaged.max_concurrent_puts}), multipart streaming ({@code storaged.part_size_bytes},
 * {@code storaged.parts_in_flight}), the abort of stale multipart uploads ({@code storaged.multipart_grace},
 * {@code storaged.multipart_sweep_interval}; {@link MultipartJanitor}); /health says whether S3 answers
 * ({@code storaged.s3_health_ttl}).
 */
public final class StoragedMain {
    private static final Logger log = LoggerFactory.getLogger(StoragedMain.class);

    private StoragedMain() {}

    public static void main(String[] args) {
        start(Config.load(args));
    }

    public static ServiceApp start(Config config) {
        S3Settings s3Settings = Secrets.primaryS3(config);
        PutCapPolicy caps = PutCapPolicy.from(config);
        PutSlots slots = new PutSlots(config.get(StoragedKeys.MAX_CONCURRENT_PUTS));
        int partSize = Math.toIntExact(config.get(StoragedKeys.PART_SIZE_BYTES));
        int partsInFlight = config.get(StoragedKeys.PARTS_IN_FLIGHT);

        software.amazon.awssdk.services.s3.S3ClientBuilder s3Builder = S3Clients.builder(s3Settings);
        boolean unsignedPayload = LoopbackPayloadSigner.applies(java.net.URI.create(s3Settings.endpoint()));
        if (unsignedPayload) {
            s3Builder.putAuthScheme(LoopbackPayloadSigner.scheme());
        }
        S3Client s3 = s3Builder.build();
        ExecutorService uploads = Executors.newFixedThreadPool(slots.max() * partsInFlight, daemonThreads("storaged-part-upload"));
        StreamingUploader uploader = new StreamingUploader(s3, s3Settings.bucket(), partSize, partsInFlight, uploads,
                config.get(StoragedKeys.STREAM_DECLARED_PUTS));
        MultipartJanitor multipart = new MultipartJanitor(s3, s3Settings.bucket(),
                config.get(StoragedKeys.MULTIPART_GRACE), java.time.Clock.systemUTC());
        multipart.start(config.get(StoragedKeys.MULTIPART_SWEEP_INTERVAL));
        ObjectStore objects = new ObjectStore(s3, s3Settings.bucket(), uploader);
        IdempotencyStore idempotency = new IdempotencyStore(new BucketRecords(s3, s3Settings.bucket()), Service.STORAGED.id(),
                config.get(FleetKeys.IDEMPOTENCY_WINDOW), java.time.Clock.systemUTC());
        idempotency.startSweeping();
        ObjectRoutes routes = new ObjectRoutes(objects, caps, slots, new IdempotentPuts(objects, idempotency));
        log.info("storaged: bucket {} at {} (payload {}), caps {} B ({} B under _vectors/), {} PUT slots, {} B parts x {} in flight",
                s3Settings.bucket(), s3Settings.endpoint(), unsignedPayload ? "unsigned: loopback" : "as the SDK signs it", caps.maxPutBytesFor(""), caps.maxPutBytesFor(dev.lakehouse.common.StorageLayout.VECTORS_PREFIX),
                slots.max(), partSize, partsInFlight);
        S3Probe s3Probe = new S3Probe(s3, s3Settings.bucket(), config.get(StoragedKeys.S3_HEALTH_TTL),
                config.get(StoragedKeys.S3_HEALTH_TIMEOUT), System::nanoTime);
        return ServiceApp.builder(Service.STORAGED, config)
                .routes(routes::install)
                .metrics(routes::bindMetrics)
                .health(() -> {
                    Map<String, Object> h = new LinkedHashMap<>(routes.health());
                    h.putAll(s3Probe.health());
                    return h;
                })
                .onStop(() -> {
                    multipart.close();
                    idempotency.close();
                    uploads.shutdown();
                    try {
                        uploads.awaitTermination(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    s3.close();
                })
                .start();
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
