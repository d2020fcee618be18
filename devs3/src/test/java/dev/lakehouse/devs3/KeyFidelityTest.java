package dev.lakehouse.devs3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Every key real S3 accepts is stored and read back byte-identical by the filesystem backend, but for an empty
 * segment ({@code a//b}): s3proxy's signature check sees such a path differently from the SDK (403), so storaged
 * refuses it up front (see docs/adr/0015-devs3-key-encoding.md).
 */
class KeyFidelityTest {
    @RegisterExtension
    static final OneServer S3 = new OneServer();

    static final List<String> KEYS = List.of(
            "fid/a b",
            "fid/a",
            "fid/trailing/",
            "fid/x",
            "fid/x/y",                                   // a file and a "directory" of one name
            "fid/" + "s".repeat(1_020),                  // one segment of 1,020 bytes (key 1,024 bytes)
            "fid/" + "é".repeat(200) + "/end",          // 400-byte segment of 2-byte characters
            "fid/données/日本語/🙂.txt",
            "fid/./dot/../dotdot",
            "fid/~tilde/+plus",
            "fid/ends-with-uuid-0b7e1c2a-1111-2222-3333-444455556666");

    @Test
    void keysWithTrailingSlashesLongSegmentsDotsAndUnicodeRoundTripByteIdentical() {
        S3Client s3 = S3.client();
        String bucket = S3.bucket();
        for (String key : KEYS) {
            assertTrue(key.getBytes(StandardCharsets.UTF_8).length <= 1024, key);
            byte[] body = ("body of " + key).getBytes(StandardCharsets.UTF_8);
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body));
            assertArrayEquals(body, s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray(), key);
            assertEquals(body.length, s3.headObject(b -> b.bucket(bucket).key(key)).contentLength(), key);
        }
        List<String> listed = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            var page = s3.listObjectsV2(b -> b.bucket(bucket).prefix("fid/").maxKeys(3).continuationToken(t));
            page.contents().stream().map(S3Object::key).forEach(listed::add);
            token = page.nextContinuationToken();
        } while (token != null);
        assertEquals(KEYS.stream().sorted().toList(), listed.stream().sorted().toList());
        assertEquals(List.of("fid/x", "fid/x/y"), s3.listObjectsV2(b -> b.bucket(bucket).prefix("fid/x")).contents()
                .stream().map(S3Object::key).toList(), "a prefix listing sees exactly the keys under it");
        s3.deleteObject(b -> b.bucket(bucket).key("fid/x"));
        assertArrayEquals("body of fid/x/y".getBytes(StandardCharsets.UTF_8),
                s3.getObjectAsBytes(b -> b.bucket(bucket).key("fid/x/y")).asByteArray());
    }

    @Test
    void aMultipartUploadToALongUnicodeKeyCompletes() {
        S3Client s3 = S3.client();
        String bucket = S3.bucket();
        String key = "mpu/" + "ü".repeat(300) + "/part.bin/";
        byte[] part = new byte[5 << 20];
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (int n = 1; n <= 2; n++) {
            int pn = n;
            String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(id).partNumber(pn),
                    RequestBody.fromBytes(part)).eTag();
            parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
        }
        assertEquals(key, s3.listMultipartUploads(b -> b.bucket(bucket).prefix("mpu/")).uploads().get(0).key());
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id).multipartUpload(m -> m.parts(parts)));
        assertEquals(2L * part.length, s3.headObject(b -> b.bucket(bucket).key(key)).contentLength());
        assertEquals(List.of(key), s3.listObjectsV2(b -> b.bucket(bucket).prefix("mpu/")).contents().stream()
                .map(S3Object::key).toList());
    }

    @Test
    void theEncodingKeepsPrefixesAndDecodesOnlyNamesItMade() {
        for (String key : KEYS) {
            assertEquals(key, FileKeys.decode(FileKeys.encode(key)));
            for (int i = 0; i <= key.length(); i++) {
                if (i < key.length() && Character.isLowSurrogate(key.charAt(i))) {
                    continue;
                }
                String prefix = key.substring(0, i);
                assertTrue(FileKeys.encode(key).startsWith(FileKeys.encodePrefix(prefix)), key + " / " + prefix);
            }
        }
        assertNull(FileKeys.decode(FileKeys.encode("k") + "-0b7e1c2a-1111-2222-3333-444455556666"), "a temp file");
        assertNull(FileKeys.decode("plain-legacy-name"));
    }

    @Test
    void aBucketWrittenBeforeTheEncodingIsRespelledAndKeepsItsObjects(@TempDir Path dir) throws Exception {
        Path bucketDir = Files.createDirectories(dir.resolve(EmbeddedS3.DEV_BUCKET).resolve("datasets/old"));
        Files.writeString(bucketDir.resolve("v1.parquet"), "old bytes");
        try (EmbeddedS3 server = EmbeddedS3.start("127.0.0.1", 0, dir, EmbeddedS3.DEV_BUCKET);
             S3Client s3 = dev.lakehouse.common.s3.S3Clients.create(server.settings())) {
            assertEquals("old bytes", s3.getObjectAsBytes(b -> b.bucket(server.bucket())
                    .key("datasets/old/v1.parquet")).asUtf8String());
            assertEquals(List.of("datasets/old/v1.parquet"), s3.listObjectsV2(b -> b.bucket(server.bucket()))
                    .contents().stream().map(S3Object::key).toList());
        }
    }
}
