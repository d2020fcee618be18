package dev.lakehouse.common.auth;

import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.SecretsFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * The fleet-internal credential (ADR 0017): one random token in the secrets file ({@code [fleet] internal_token}),
 * sent by the gateway and the typed clients in {@link #HEADER} and required by every backend route but
 * {@code /health} and {@code /metrics}. A request the gateway forwards also carries {@link #ORIGIN_HEADER}
 * {@code = public}: it is a user's, not a service's, and may not write the fleet's reserved prefixes.
 */
public final class FleetCredential {
    public static final String HEADER = "X-Lakehouse-Fleet-Token";
    /** Set by the gateway on every request it forwards (the client's own value is dropped). */
    public static final String ORIGIN_HEADER = "X-Lakehouse-Origin";
    public static final String ORIGIN_PUBLIC = "public";
    /**
     * Who a forwarded request comes from, as the gateway states it (a client's own value never passes): the bearer
     * token's identity ({@code token:<first 12 hex of its SHA-256>}) when auth is on, else {@code anonymous}.
     */
    public static final String PRINCIPAL_HEADER = "X-Lakehouse-Principal";
    static final String KEY = "fleet.internal_token";
    private static final int MIN_TOKEN_CHARS = 32;

    private final String token;
    private final byte[] tokenBytes;

    private FleetCredential(String token) {
        this.token = token;
        this.tokenBytes = token.getBytes(StandardCharsets.UTF_8);
    }

    /** A fresh random credential (256 bits), for dev tooling that writes a secrets file. */
    public static FleetCredential generate() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return new FleetCredential(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
    }

    /** The credential of the configured secrets file; a clear {@link IllegalStateException} if it has none. */
    public static FleetCredential load(Config config) {
        return load(config.secretsFile());
    }

    public static FleetCredential load(Path secretsFile) {
        return of(SecretsFile.read(secretsFile)).orElseThrow(() -> new IllegalStateException("secrets file " + secretsFile
                + " lacks " + KEY + " (at least " + MIN_TOKEN_CHARS + " characters; `just up` generates one)"));
    }

    /**
     * The credential already in {@code secretsFile}, if the file exists and has one: dev tooling keeps it across
     * restarts. Read whatever the file's mode (a checkout's older dev file is 0644): the caller rewrites it 0600.
     */
    public static Optional<FleetCredential> existing(Path secretsFile) {
        return Files.isRegularFile(secretsFile) ? of(Config.readToml(secretsFile)) : Optional.empty();
    }

    private static Optional<FleetCredential> of(Map<String, String> secrets) {
        String t = secrets.get(KEY);
        if (t == null || t.isBlank()) {
            return Optional.empty();
        }
        if (t.strip().length() < MIN_TOKEN_CHARS) {
            throw new IllegalStateException(KEY + " is shorter than " + MIN_TOKEN_CHARS + " characters");
        }
        return Optional.of(new FleetCredential(t.strip()));
    }

    /** Constant-time check of a presented header value. */
    public boolean accepts(String presented) {
        return presented != null && MessageDigest.isEqual(tokenBytes, presented.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code request} with this credential attached. */
    public Request sign(Request request) {
        return sign(request.newBuilder()).build();
    }

    public Request.Builder sign(Request.Builder request) {
        return request.header(HEADER, token);
    }

    /** {@code http} (sharing its pool and dispatcher) attaching this credential to every request; for tests and tools. */
    public OkHttpClient signing(OkHttpClient http) {
        return http.newBuilder().addInterceptor(chain -> chain.proceed(sign(chain.request()))).build();
    }

    /** The header value to send; only for raw-socket callers (tests). */
    public String headerValue() {
        return token;
    }

    /** The secrets-file section holding this credential. */
    public String toToml() {
        return "[fleet]\ninternal_token = \"" + token + "\"\n";
    }

    /** Writes a secrets file (0600) holding only this credential, for services that need no S3 (tests, tools). */
    public Path writeSecretsFile(Path file) {
        SecretsFile.write(file, toToml());
        return file;
    }

    @Override
    public String toString() {
        return "FleetCredential[***]"; // never the token
    }
}
