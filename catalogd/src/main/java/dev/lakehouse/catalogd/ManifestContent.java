package dev.lakehouse.catalogd;

import dev.lakehouse.common.ColumnTypes;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.model.ColumnSpec;
import dev.lakehouse.common.model.FileEntry;
import dev.lakehouse.common.model.RegisterRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The validated content of a registration: schema (types canonical), files, total rows and the content hash.
 * Everything a manifest holds except dataset, version and creation time.
 */
record ManifestContent(List<ColumnSpec> schema, List<FileEntry> files, long rows, String contentHash) {

    /** Validates {@code request} (400 naming the first problem) and computes its content hash. */
    static ManifestContent of(RegisterRequest request) {
        if (request == null) {
            throw new BadRequest("body must be {\"schema\": [...], \"files\": [...]}");
        }
        List<ColumnSpec> schema = schema(request.schema());
        List<FileEntry> files = files(request.files());
        if (request.expectedVersion() != null && request.expectedVersion() < 0) {
            throw new BadRequest("expected_version must be >= 0 (0 = the dataset must not exist yet)",
                    Map.of("expected_version", request.expectedVersion()));
        }
        long rows = 0;
        for (FileEntry f : files) {
            rows = Math.addExact(rows, f.rows());
        }
        return new ManifestContent(schema, files, rows, ContentHash.of(schema, files));
    }

    private static List<ColumnSpec> schema(List<ColumnSpec> in) {
        if (in == null || in.isEmpty()) {
            throw new BadRequest("schema must list at least one column");
        }
        List<ColumnSpec> out = new ArrayList<>(in.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < in.size(); i++) {
            ColumnSpec c = in.get(i);
            if (c == null || c.name() == null || c.name().isBlank()) {
                throw new BadRequest("schema[" + i + "]: column name is missing");
            }
            // DuckDB resolves identifiers case-insensitively, so "A" and "a" would collide in queryd
            if (!seen.add(c.name().toLowerCase(Locale.ROOT))) {
                throw new BadRequest("schema[" + i + "]: duplicate column '" + c.name() + "'");
            }
            String type = ColumnTypes.canonical(c.type());
            if (type == null) {
                throw new BadRequest("schema[" + i + "]: column '" + c.name() + "' has type '" + c.type()
                        + "'; allowed: " + ColumnTypes.ALL);
            }
            out.add(new ColumnSpec(c.name(), type));
        }
        return List.copyOf(out);
    }

    private static List<FileEntry> files(List<FileEntry> in) {
        if (in == null) {
            throw new BadRequest("files is required (a list, possibly empty)");
        }
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < in.size(); i++) {
            FileEntry f = in.get(i);
            if (f == null || f.key() == null || f.key().isBlank()) {
                throw new BadRequest("files[" + i + "]: key is missing");
            }
            if (f.key().startsWith("/") || f.key().startsWith(dev.lakehouse.common.StorageLayout.CATALOG_PREFIX)) {
                throw new BadRequest("files[" + i + "]: key '" + f.key() + "' is not a data file key");
            }
            if (f.rows() < 0 || f.bytes() < 0) {
                throw new BadRequest("files[" + i + "]: rows and bytes must be >= 0");
            }
            if (!keys.add(f.key())) {
                throw new BadRequest("files[" + i + "]: duplicate key '" + f.key() + "'");
            }
        }
        return List.copyOf(in);
    }
}
