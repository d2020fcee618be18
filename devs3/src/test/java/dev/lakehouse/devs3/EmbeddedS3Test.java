package dev.lakehouse.devs3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The embedded server is a real S3: the AWS SDK's own calls work against it, and bad credentials fail. */
class EmbeddedS3Test {
    @RegisterExtension
    static final OneServer S3 = new OneServer();

    @Test
    void putGetListRangeAndMultipart() {
        S3Client s3 = S3.client();
        String bucket = S3.bucket();
        byte[] small = "hello lakehouse".getBytes();
        s3.putObject(b -> b.bucket(bucket).key("a/b.txt"), RequestBody.fromBytes(small));
        assertArrayEquals(small, s3.getObjectAsBytes(b -> b.bucket(bucket).key("a/b.txt")).asByteArray());
        assertArrayEquals("lake".getBytes(),
                s3.getObjectAsBytes(b -> b.bucket(bucket).key("a/b.txt").range("bytes=6-9")).asByteArray());

        byte[] part = new byte[5 << 20];
        new Random(1).nextBytes(part);
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("big.bin")).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (int n = 1; n <= 2; n++) {
            int pn = n;
            String etag = s3.uploadPart(b -> b.bucket(bucket).key("big.bin").uploadId(uploadId).partNumber(pn),
                    RequestBody.fromBytes(part)).eTag();
            parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
        }
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("big.bin").uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)));
        assertEquals(2L * part.length, s3.headObject(b -> b.bucket(bucket).key("big.bin")).contentLength());

        assertEquals(List.of("a/b.txt"), s3.listObjectsV2(b -> b.bucket(bucket).prefix("a/")).contents()
                .stream().map(o -> o.key()).toList());
        assertThrows(NoSuchKeyException.class, () -> s3.getObject(b -> b.bucket(bucket).key("nope")));
    }

    @Test
    void wrongSecretIsRejected() {
        var bad = new dev.lakehouse.common.config.S3Settings(S3.settings().endpoint(), "us-east-1", S3.bucket(),
                EmbeddedS3.DEV_ACCESS_KEY, "wrong");
        try (S3Client s3 = dev.lakehouse.common.s3.S3Clients.create(bad)) {
            S3Exception e = assertThrows(S3Exception.class,
                    () -> s3.putObject(b -> b.bucket(S3.bucket()).key("x"), RequestBody.fromBytes(new byte[1])));
            assertEquals(403, e.statusCode());
        }
    }
}
