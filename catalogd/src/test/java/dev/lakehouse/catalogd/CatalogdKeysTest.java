package dev.lakehouse.catalogd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Key;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogdKeysTest {
    @Test
    void everyCatalogdKeyHasTheRowItsDeclarationRendersInCatalogdMdOrIcebergMd() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "catalogd.md")) + Files.readString(Path.of("..", "docs", "iceberg.md"));
        assertEquals(List.of(), Key.missingRows(CatalogdKeys.ALL, doc), "docs/catalogd.md or docs/iceberg.md should have these rows");
    }

    @Test
    void theExampleTomlSetsOnlyDeclaredCatalogdKeysAtTheirDefaults() {
        assertEquals(List.of(), Key.exampleTomlProblems(CatalogdKeys.ALL, "catalogd",
                Config.readToml(Path.of("..", "deploy", "lakehouse.example.toml"))));
    }
}
