package dev.lakehouse.catalogd;

import dev.lakehouse.common.model.ColumnSpec;
import dev.lakehouse.common.model.FileEntry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * SHA-256 of a manifest's content: the schema in column order, then the files sorted by key (file order
 * carries no meaning). Version, dataset name and creation time are not content. Each value is
 * length-prefixed, so no two different contents share an encoding.
 */
final class ContentHash {
    private ContentHash() {}

    static String of(List<ColumnSpec> schema, List<FileEntry> files) {
        MessageDigest md = sha256();
        field(md, "schema:" + schema.size());
        for (ColumnSpec c : schema) {
            field(md, c.name());
            field(md, c.type());
        }
        field(md, "files:" + files.size());
        for (FileEntry f : files.stream().sorted(Comparator.comparing(FileEntry::key)).toList()) {
            field(md, f.key());
            field(md, Long.toString(f.rows()));
            field(md, Long.toString(f.bytes()));
            field(md, f.etag() == null ? "" : f.etag());
        }
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }

    private static void field(MessageDigest md, String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        md.update((b.length + ":").getBytes(StandardCharsets.US_ASCII));
        md.update(b);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
