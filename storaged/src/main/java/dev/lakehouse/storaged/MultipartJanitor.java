package dev.lakehouse.storaged;

import dev.lakehouse.common.concurrent.Daemons;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * Aborts multipart uploads nobody will finish. {@link StreamingUploader} aborts its own on any failure, but not
 * when storaged is killed mid-upload, or when S3 itself was down for the abort: their parts (up to
 * {@code parts_in_flight × part_size} each, 73 MiB seen) stay in the bucket, unlisted and billed, until
 * aborted. At start and then every {@code interval}, every upload initiated more than {@code grace} ago is
 * aborted; the grace keeps this from cutting off a live upload of another storaged on the same bucket.
 */
final class MultipartJanitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MultipartJanitor.class);

    private final S3Client s3;
    private final String bucket;
    private final Duration grace;
    private final Clock clock;
    private final ScheduledExecutorService timer = Daemons.scheduler("multipart-janitor");

    MultipartJanitor(S3Client s3, String bucket, Duration grace, Clock clock) {
        this.s3 = s3;
        this.bucket = bucket;
        this.grace = grace;
        this.clock = clock;
    }

    /** One pass: aborts every upload initiated before now − grace; returns how many. */
    int sweep() {
        Instant cutoff = clock.instant().minus(grace);
        int aborted = 0;
        String keyMarker = null;
        String idMarker = null;
        while (true) {
            String km = keyMarker;
            String im = idMarker;
            ListMultipartUploadsResponse page = s3.listMultipartUploads(b -> b.bucket(bucket).keyMarker(km).uploadIdMarker(im));
            for (MultipartUpload u : page.uploads()) {
                if (u.initiated() != null && u.initiated().isBefore(cutoff)) {
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(u.key()).uploadId(u.uploadId()));
                    log.info("aborted stale multipart upload {} of {} (initiated {})", u.uploadId(), u.key(), u.initiated());
                    aborted++;
                }
            }
            if (!Boolean.TRUE.equals(page.isTruncated()) || page.nextKeyMarker() == null) {
                return aborted;
            }
            keyMarker = page.nextKeyMarker();
            idMarker = page.nextUploadIdMarker();
        }
    }

    /** Sweeps now (in the background: S3 may not be up yet) and then every {@code interval}. */
    void start(Duration interval) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                sweep();
            } catch (RuntimeException e) {
                log.warn("multipart sweep failed (next in {}): {}", interval, e.toString());
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
