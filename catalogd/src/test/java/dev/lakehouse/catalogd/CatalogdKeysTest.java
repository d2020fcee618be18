package dev.lakehouse.catalogd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakehouse.common.config.Key;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogdKeysTest {
    @Test
    void everyCatalogdKeyHasTheRowItsDeclarationRendersInTheDocsAndTheExampleTomlSetsOnlyItsDefaults() throws IOException {
        assertEquals(List.of(), Key.docsAndExampleProblems(CatalogdKeys.ALL, "catalogd", Path.of(".."), "catalogd.md", "iceberg.md"));
    }
}
