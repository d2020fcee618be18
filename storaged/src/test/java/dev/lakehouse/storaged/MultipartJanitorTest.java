package dev.lakehouse.storaged;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakehouse.testkit.S3Extension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Multipart uploads left by a killed storaged are aborted once older than the grace period, live ones are not. */
class MultipartJanitorTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();

    @Test
    void anUploadOlderThanTheGraceIsAbortedAndAYoungerOneIsLeftAlone() {
        S3Client s3 = S3.client();
        String bucket = S3.bucket();
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("datasets/x/leaked.parquet")).uploadId();
        s3.uploadPart(b -> b.bucket(bucket).key("datasets/x/leaked.parquet").uploadId(id).partNumber(1),
                RequestBody.fromBytes(new byte[5 << 20]));

        MultipartJanitor now = new MultipartJanitor(s3, bucket, Duration.ofHours(1), Clock.systemUTC());
        assertEquals(0, now.sweep(), "younger than the grace: may be live");
        assertEquals(1, s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().size());

        Clock later = Clock.fixed(Instant.now().plus(Duration.ofHours(2)), ZoneOffset.UTC);
        MultipartJanitor twoHoursOn = new MultipartJanitor(s3, bucket, Duration.ofHours(1), later);
        assertEquals(1, twoHoursOn.sweep());
        assertEquals(0, s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().size(), "aborted: its parts are gone");
        assertEquals(0, s3.listObjectsV2(b -> b.bucket(bucket)).keyCount(), "and nothing became an object");
    }
}
