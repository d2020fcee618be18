package dev.lakehouse.storaged;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * storaged's /health answer about S3: one HeadBucket (bounded by {@code timeout}), its outcome kept for
 * {@code ttl} so health probes (the gateway asks on every /v1/health) do not become S3 traffic. When S3 is
 * down, /health is 503 with {@code "down": ["s3"]}, which the gateway's /v1/health passes on.
 */
final class S3Probe {
    private final S3Client s3;
    private final String bucket;
    private final Duration ttl;
    private final Duration timeout;
    private final LongSupplier nanoClock;
    private long checkedAt;
    private String error; // null: reachable
    private boolean checked;

    S3Probe(S3Client s3, String bucket, Duration ttl, Duration timeout, LongSupplier nanoClock) {
        this.s3 = s3;
        this.bucket = bucket;
        this.ttl = ttl;
        this.timeout = timeout;
        this.nanoClock = nanoClock;
    }

    /** Health fields: nothing when S3 answers, else {@code status: degraded}, {@code down: [s3]} and why. */
    synchronized Map<String, Object> health() {
        long now = nanoClock.getAsLong();
        if (!checked || now - checkedAt >= ttl.toNanos()) {
            error = probe();
            checkedAt = nanoClock.getAsLong();
            checked = true;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        if (error != null) {
            m.put("status", "degraded");
            m.put("down", List.of("s3"));
            m.put("s3_error", error);
        }
        return m;
    }

    private String probe() {
        try {
            s3.headBucket(b -> b.bucket(bucket).overrideConfiguration(c -> c.apiCallTimeout(timeout)));
            return null;
        } catch (SdkException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }
}
