package dev.lakehouse.common.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Reads the secrets file (TOML):
 * <pre>
 * [s3.primary]
 * endpoint = "http://127.0.0.1:9000"
 * region = "us-east-1"
 * bucket = "lakehouse-primary"
 * access_key = "..."
 * secret_key = "..."
 * </pre>
 * plus the fleet-internal credential ({@code [fleet] internal_token}, see {@link dev.lakehouse.common.auth.FleetCredential}).
 * Kept apart from the main config so it can be owner-only readable ({@link SecretsFile} refuses it otherwise).
 */
public final class Secrets {
    private Secrets() {}

    public static S3Settings primaryS3(Config config) {
        return primaryS3(config.secretsFile());
    }

    public static S3Settings primaryS3(Path file) {
        Map<String, String> m = SecretsFile.read(file);
        return new S3Settings(
                require(m, file, "s3.primary.endpoint"),
                m.getOrDefault("s3.primary.region", "us-east-1"),
                require(m, file, "s3.primary.bucket"),
                require(m, file, "s3.primary.access_key"),
                require(m, file, "s3.primary.secret_key"));
    }

    private static String require(Map<String, String> m, Path file, String key) {
        String v = m.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("secrets file " + file + " lacks " + key);
        }
        return v;
    }

    /** The TOML text of a secrets file for the given settings (used by dev tooling and tests). */
    public static String toToml(S3Settings s) {
        return "[s3.primary]\n"
                + "endpoint = \"" + s.endpoint() + "\"\n"
                + "region = \"" + s.region() + "\"\n"
                + "bucket = \"" + s.bucket() + "\"\n"
                + "access_key = \"" + s.accessKey() + "\"\n"
                + "secret_key = \"" + s.secretKey() + "\"\n";
    }
}
