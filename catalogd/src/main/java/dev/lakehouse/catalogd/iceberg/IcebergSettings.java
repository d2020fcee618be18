package dev.lakehouse.catalogd.iceberg;

import dev.lakehouse.catalogd.CatalogdKeys;
import dev.lakehouse.common.DatasetNames;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.S3Settings;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the Iceberg catalog tells clients ({@code catalogd.iceberg.*}): its one namespace, and how to reach the
 * bucket. The S3 endpoint, region and path-style access are always given (not secret); the bucket's keys only
 * with {@code catalogd.iceberg.vend_s3_credentials = true}, since then anyone who may call the catalog can
 * read, and write, the whole bucket directly (ADR 0023; off by default, meant for dev fleets).
 */
public record IcebergSettings(String namespace, String s3Endpoint, S3Settings s3, boolean vendCredentials) {
    public static IcebergSettings from(Config config, S3Settings s3) {
        String ns = config.get(CatalogdKeys.ICEBERG_NAMESPACE);
        if (!DatasetNames.isValid(ns)) {
            throw new IllegalArgumentException("catalogd.iceberg.namespace must match " + DatasetNames.PATTERN + ", got '" + ns + "'");
        }
        return new IcebergSettings(ns, config.get(CatalogdKeys.ICEBERG_S3_ENDPOINT, s3.endpoint()), s3,
                config.get(CatalogdKeys.ICEBERG_VEND_S3_CREDENTIALS));
    }

    /** GET /v1/config defaults: what a client may override with its own settings. */
    Map<String, String> clientDefaults() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("s3.endpoint", s3Endpoint);
        m.put("s3.path-style-access", "true");
        m.put("client.region", s3.region());
        return m;
    }

    /** GET /v1/config overrides: the vended keys, if enabled. */
    Map<String, String> clientOverrides() {
        Map<String, String> m = new LinkedHashMap<>();
        if (vendCredentials) {
            m.put("s3.access-key-id", s3.accessKey());
            m.put("s3.secret-access-key", s3.secretKey());
        }
        return m;
    }

    /** A loaded table's config: the same S3 settings, for clients that read them per table. */
    Map<String, String> tableConfig() {
        Map<String, String> m = new LinkedHashMap<>(clientDefaults());
        m.putAll(clientOverrides());
        return m;
    }
}
