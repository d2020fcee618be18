package dev.lakehouse.storaged;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthScheme;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

/**
 * SigV4 for storaged's S3 client with the payload left unsigned when S3 is on this host over plain http (ADR 0044).
 * Over http the SDK always signs the payload: every PUT goes aws-chunked with a SHA-256 and an HMAC per 128 KiB, which
 * the server hashes again to verify; for an ingest's 25 MB Parquet file that was the embedded S3's largest cost. The
 * signature guards the bytes on a network a stranger can write to; a loopback connection has none, and over https
 * the SDK already sends {@code UNSIGNED-PAYLOAD} (TLS guards the bytes). So the payload is unsigned exactly when the
 * body never leaves the host; the request itself (method, key, headers, credential) is signed as before, and a
 * non-loopback http endpoint keeps the SDK's signed payload.
 */
final class LoopbackPayloadSigner implements HttpSigner<AwsCredentialsIdentity> {
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final AwsV4HttpSigner v4 = AwsV4HttpSigner.create();

    /** An http endpoint on this host with a port of its own (the signed Host header is then the same for http and https). */
    static boolean applies(URI endpoint) {
        String host = endpoint.getHost() == null ? "" : endpoint.getHost().toLowerCase(Locale.ROOT);
        return "http".equalsIgnoreCase(endpoint.getScheme())
                && (LOOPBACK_HOSTS.contains(host) || host.startsWith("127."))
                && endpoint.getPort() > 0 && endpoint.getPort() != 80 && endpoint.getPort() != 443;
    }

    /** The SDK's SigV4 scheme with this signer, for {@code S3ClientBuilder.putAuthScheme}. */
    static AuthScheme<AwsCredentialsIdentity> scheme() {
        LoopbackPayloadSigner signer = new LoopbackPayloadSigner();
        return new AuthScheme<>() {
            @Override
            public String schemeId() {
                return AwsV4AuthScheme.SCHEME_ID;
            }

            @Override
            public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
                return providers.identityProvider(AwsCredentialsIdentity.class);
            }

            @Override
            public HttpSigner<AwsCredentialsIdentity> signer() {
                return signer;
            }
        };
    }

    @Override
    public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
        SdkHttpRequest http = request.request();
        if (!"http".equals(http.protocol())) {
            return v4.sign(request);
        }
        // signed as the SDK signs for https (UNSIGNED-PAYLOAD, plain body); the scheme is not part of what SigV4 signs
        SignedRequest signed = v4.sign(request.copy(b -> b.request(http.toBuilder().protocol("https").build())
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)));
        return signed.copy(b -> b.request(signed.request().toBuilder().protocol("http").build()));
    }

    @Override
    public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
        return v4.signAsync(request); // storaged's client is synchronous
    }
}
