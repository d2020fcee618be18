package dev.lakehouse.vectord;

import static dev.lakehouse.common.config.Service.VECTORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.common.config.Key;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class VectordKeysTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3);

    @Test
    void everyVectordKeyHasTheRowItsDeclarationRendersInTheDocsAndTheExampleTomlSetsOnlyItsDefaults() throws IOException {
        assertEquals(List.of(), Key.docsAndExampleProblems(VectordKeys.ALL, "vectord", Path.of(".."), "vectord.md",
                "configuration.md"));
    }

    /** Why vectord refuses to start with {@code key = value}. */
    static String refusal(String key, String value) {
        return assertThrows(IllegalArgumentException.class,
                () -> VectordMain.start(FLEET.config(VECTORD, Map.of(key, value))).close()).getMessage();
    }

    @Test
    void vectordRefusesToStartOnAMisspelledKeyNamingTheNearestDeclaredOne() {
        String e = refusal("vectord.compact_min_node", "10");
        assertTrue(e.contains("unknown key 'vectord.compact_min_node'") && e.contains("did you mean 'vectord.compact_min_nodes'"), e);
    }

    @Test
    void vectordRefusesToStartOnATombstoneShareThatIsNotANumberNamingTheKey() {
        String e = refusal("vectord.compact_tombstone_share", "a fifth");
        assertTrue(e.contains("vectord.compact_tombstone_share") && e.contains("LAKEHOUSE_VECTORD_COMPACT_TOMBSTONE_SHARE"), e);
    }
}
