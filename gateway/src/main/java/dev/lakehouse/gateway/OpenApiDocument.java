package dev.lakehouse.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The public API's OpenAPI 3.1 document, kept as a checked resource ({@code openapi/openapi.yaml}): no maintained
 * generator fits Javalin 7, and {@code OpenApiDocumentTest} keeps it true (every route of {@code Routes} documented,
 * nothing documented that is not routed, valid for swagger-parser). Served as YAML and as JSON.
 */
final class OpenApiDocument {
    private static final String RESOURCE = "/openapi/openapi.yaml";
    private static final byte[] YAML = load();
    private static final byte[] JSON = toJson(YAML);

    private OpenApiDocument() {}

    static byte[] yaml() {
        return YAML;
    }

    static byte[] json() {
        return JSON;
    }

    private static byte[] load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the gateway jar lacks " + RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] toJson(byte[] yaml) {
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(new ObjectMapper(new YAMLFactory()).readTree(new String(yaml, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new IllegalStateException("openapi.yaml is not valid YAML: " + e.getMessage(), e);
        }
    }
}
