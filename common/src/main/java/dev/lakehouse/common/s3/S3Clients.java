package dev.lakehouse.common.s3;

import dev.lakehouse.common.config.S3Settings;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/** Builds the synchronous S3 client used by storaged and queryd (path-style, for MinIO and the dev server). */
public final class S3Clients {
    private S3Clients() {}

    public static S3Client create(S3Settings s) {
        return builder(s).build();
    }

    /** The builder {@link #create} builds, for a service that adds to it (storaged's payload signing, ADR 0044). */
    public static S3ClientBuilder builder(S3Settings s) {
        return S3Client.builder()
                .endpointOverride(URI.create(s.endpoint()))
                .region(Region.of(s.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(s.accessKey(), s.secretKey())))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                // S3-compatible servers differ in flexible-checksum support; only compute when required
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(httpClientBuilder());
    }

    /** The HTTP client under {@link #create}; the storage bench measures the fleet with this same client. */
    public static ApacheHttpClient.Builder httpClientBuilder() {
        return ApacheHttpClient.builder()
                .maxConnections(64)
                .connectionTimeout(Duration.ofSeconds(3))
                .socketTimeout(Duration.ofSeconds(120));
    }
}
