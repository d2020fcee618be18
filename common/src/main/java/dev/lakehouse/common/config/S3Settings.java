package dev.lakehouse.common.config;

/** Where and how to reach the primary S3 bucket; read from the secrets file, never from code. */
public record S3Settings(String endpoint, String region, String bucket, String accessKey, String secretKey) {
    @Override
    public String toString() {
        // never print the secret
        return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket
                + ", accessKey=" + accessKey + ", secretKey=***]";
    }
}
