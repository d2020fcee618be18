package dev.lakehouse.storaged;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakehouse.common.config.Key;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoragedKeysTest {
    @Test
    void everyStoragedKeyHasTheRowItsDeclarationRendersInStoragedMd() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "storaged.md"));
        assertEquals(List.of(), Key.missingRows(StoragedKeys.ALL, doc), "docs/storaged.md should have these rows");
    }
}
