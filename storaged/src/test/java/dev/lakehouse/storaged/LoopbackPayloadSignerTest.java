package dev.lakehouse.storaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import org.junit.jupiter.api.Test;

/**
 * Where storaged leaves the payload unsigned (ADR 0044): only for S3 on this host over http. Signed with the SDK's own
 * SigV4 signer as storaged's client signs an S3 PUT (chunked encoding on, as for PutObject and UploadPart); that the
 * embedded S3 accepts what it signs is shown by every other storaged test, which store through it.
 */
class LoopbackPayloadSignerTest {
    static final AwsCredentialsIdentity CREDENTIALS = AwsCredentialsIdentity.create("lakehouse-dev", "lakehouse-dev-secret");
    static final byte[] BODY = "a Parquet file, say".getBytes(StandardCharsets.UTF_8);

    static SignedRequest sign(HttpSigner<AwsCredentialsIdentity> signer, String endpoint) {
        URI uri = URI.create(endpoint + "/lakehouse-primary/datasets/d/f.parquet");
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.PUT).uri(uri)
                .putHeader("Content-Length", String.valueOf(BODY.length)).build();
        return signer.sign(SignRequest.builder(CREDENTIALS).request(request)
                .payload(ContentStreamProvider.fromByteArray(BODY))
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, true)
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .build());
    }

    static String contentSha256(SignedRequest signed) {
        return signed.request().firstMatchingHeader("x-amz-content-sha256").orElse("(none)");
    }

    @Test
    void aPutToS3OnThisHostOverHttpIsSignedWithAnUnsignedPayloadAndStaysHttp() {
        SignedRequest signed = sign(new LoopbackPayloadSigner(), "http://127.0.0.1:9400");

        assertEquals("UNSIGNED-PAYLOAD", contentSha256(signed));
        assertEquals("http", signed.request().protocol());
        assertTrue(signed.request().firstMatchingHeader("Authorization").orElse("").startsWith("AWS4-HMAC-SHA256 Credential="),
                "the request itself is still signed");
    }

    @Test
    void theSdksOwnSignerSignsThatPayloadOverHttpChunkByChunk() {
        // what the wrapper saves: over http the SDK signs the payload whatever PAYLOAD_SIGNING_ENABLED says
        String sha = contentSha256(sign(AwsV4HttpSigner.create(), "http://127.0.0.1:9400"));
        assertNotEquals("UNSIGNED-PAYLOAD", sha);
        assertTrue(sha.startsWith("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"), sha);
    }

    @Test
    void onlyAnHttpEndpointOnThisHostWithAPortOfItsOwnGetsTheUnsignedPayload() {
        Map<String, Boolean> cases = Map.of(
                "http://127.0.0.1:9400", true,
                "http://localhost:9000", true,
                "http://[::1]:9000", true,
                "http://10.0.0.7:9000", false,
                "http://minio.internal:9000", false,
                "https://127.0.0.1:9400", false,
                "http://127.0.0.1", false,
                "http://127.0.0.1:80", false);
        cases.forEach((endpoint, expected) -> assertEquals(expected, LoopbackPayloadSigner.applies(URI.create(endpoint)), endpoint));
    }

    @Test
    void anHttpsRequestIsLeftToTheSdksSigner() {
        assertFalse(LoopbackPayloadSigner.applies(URI.create("https://s3.eu-west-1.amazonaws.com")));
        assertEquals(contentSha256(sign(AwsV4HttpSigner.create(), "https://127.0.0.1:9400")),
                contentSha256(sign(new LoopbackPayloadSigner(), "https://127.0.0.1:9400")));
    }
}
