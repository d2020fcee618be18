package dev.lakehouse.storaged;

import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.S3Settings;
import dev.lakehouse.common.config.Secrets;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.idempotency.IdempotencyStore;
import dev.lakehouse.common.s3.S3Clients;
import java.time.Duration;
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
        PutSlots slots = new PutSlots(config.integer("storaged.max_concurrent_puts", 4));
        int partSize = Math.toIntExact(config.longValue("storaged.part_size_bytes", 8L << 20));
        int partsInFlight = config.integer("storaged.parts_in_flight", 2);

        S3Client s3 = S3Clients.create(s3Settings);
        ExecutorService uploads = Executors.newFixedThreadPool(slots.max() * partsInFlight, daemonThreads("storaged-part-upload"));
        StreamingUploader uploader = new StreamingUploader(s3, s3Settings.bucket(), partSize, partsInFlight, uploads,
                config.bool("storaged.stream_declared_puts", true));
        MultipartJanitor multipart = new MultipartJanitor(s3, s3Settings.bucket(),
                config.duration("storaged.multipart_grace", java.time.Duration.ofHours(1)), java.time.Clock.systemUTC());
        multipart.start(config.duration("storaged.multipart_sweep_interval", java.time.Duration.ofMinutes(10)));
        ObjectStore objects = new ObjectStore(s3, s3Settings.bucket(), uploader);
        IdempotencyStore idempotency = new IdempotencyStore(new BucketRecords(s3, s3Settings.bucket()), Service.STORAGED.id(),
                config.duration("idempotency.window", java.time.Duration.ofHours(24)), java.time.Clock.systemUTC());
        idempotency.startSweeping();
        ObjectRoutes routes = new ObjectRoutes(objects, caps, slots, new IdempotentPuts(objects, idempotency));
        log.info("storaged: bucket {} at {}, caps {} B ({} B under _vectors/), {} PUT slots, {} B parts x {} in flight",
                s3Settings.bucket(), s3Settings.endpoint(), caps.maxPutBytesFor(""), caps.maxPutBytesFor(dev.lakehouse.common.StorageLayout.VECTORS_PREFIX),
                slots.max(), partSize, partsInFlight);
        S3Probe s3Probe = new S3Probe(s3, s3Settings.bucket(), config.duration("storaged.s3_health_ttl", Duration.ofSeconds(3)),
                config.duration("storaged.s3_health_timeout", Duration.ofSeconds(1)), System::nanoTime);
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
