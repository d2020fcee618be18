package dev.lakehouse.catalogd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.model.ColumnSpec;
import dev.lakehouse.common.model.FileEntry;
import dev.lakehouse.common.model.RegisterRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestContentTest {
    static final List<ColumnSpec> SCHEMA = List.of(new ColumnSpec("id", "BIGINT"), new ColumnSpec("name", "VARCHAR"));
    static final FileEntry A = new FileEntry("datasets/d/a.parquet", 10, 100, "e1");
    static final FileEntry B = new FileEntry("datasets/d/b.parquet", 5, 50, "e2");

    static ManifestContent of(List<ColumnSpec> schema, List<FileEntry> files) {
        return ManifestContent.of(new RegisterRequest(schema, files, null));
    }

    @Test
    void sumsRowsAndCanonicalizesTypes() {
        ManifestContent c = of(List.of(new ColumnSpec("id", "bigint"), new ColumnSpec("name", " varchar ")), List.of(A, B));
        assertEquals(15, c.rows());
        assertEquals(SCHEMA, c.schema());
        assertTrue(c.contentHash().matches("sha256:[0-9a-f]{64}"), c.contentHash());
    }

    @Test
    void hashIgnoresFileOrderAndTypeCaseButNotColumnOrder() {
        String h = of(SCHEMA, List.of(A, B)).contentHash();
        assertEquals(h, of(SCHEMA, List.of(B, A)).contentHash());
        assertEquals(h, of(List.of(new ColumnSpec("id", "bigint"), new ColumnSpec("name", "varchar")), List.of(A, B)).contentHash());
        assertNotEquals(h, of(List.of(SCHEMA.get(1), SCHEMA.get(0)), List.of(A, B)).contentHash());
    }

    @Test
    void hashChangesWithAnyFileField() {
        String h = of(SCHEMA, List.of(A)).contentHash();
        assertNotEquals(h, of(SCHEMA, List.of(new FileEntry(A.key(), 11, 100, "e1"))).contentHash());
        assertNotEquals(h, of(SCHEMA, List.of(new FileEntry(A.key(), 10, 101, "e1"))).contentHash());
        assertNotEquals(h, of(SCHEMA, List.of(new FileEntry(A.key(), 10, 100, "e9"))).contentHash());
        assertNotEquals(h, of(SCHEMA, List.of(new FileEntry(A.key() + "x", 10, 100, "e1"))).contentHash());
        assertNotEquals(h, of(SCHEMA, List.of()).contentHash());
    }

    @Test
    void hashEncodingIsUnambiguous() {
        // "ab"+"c" vs "a"+"bc" must not collide
        String h1 = of(List.of(new ColumnSpec("ab", "BIGINT"), new ColumnSpec("c", "BIGINT")), List.of()).contentHash();
        String h2 = of(List.of(new ColumnSpec("a", "BIGINT"), new ColumnSpec("bc", "BIGINT")), List.of()).contentHash();
        assertNotEquals(h1, h2);
    }

    @Test
    void rejectsBadSchemasAndFiles() {
        assertMessage("at least one column", () -> of(List.of(), List.of()));
        assertMessage("at least one column", () -> of(null, List.of()));
        assertMessage("type 'INT'", () -> of(List.of(new ColumnSpec("x", "INT")), List.of()));
        assertMessage("duplicate column 'ID'", () -> of(List.of(new ColumnSpec("id", "BIGINT"), new ColumnSpec("ID", "DOUBLE")), List.of()));
        assertMessage("name is missing", () -> of(List.of(new ColumnSpec(" ", "BIGINT")), List.of()));
        assertMessage("files is required", () -> of(SCHEMA, null));
        assertMessage("duplicate key", () -> of(SCHEMA, List.of(A, A)));
        assertMessage(">= 0", () -> of(SCHEMA, List.of(new FileEntry("k", -1, 0, null))));
        assertMessage("not a data file key", () -> of(SCHEMA, List.of(new FileEntry("_catalog/x/1.json", 1, 1, null))));
        assertMessage("expected_version", () -> ManifestContent.of(new RegisterRequest(SCHEMA, List.of(), -1)));
    }

    static void assertMessage(String needle, org.junit.jupiter.api.function.Executable e) {
        BadRequest ex = assertThrows(BadRequest.class, e);
        assertTrue(ex.getMessage().contains(needle), ex.getMessage());
    }
}
