package dev.lakehouse.storaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.common.error.BadRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectKeysTest {
    @Test
    void acceptsOrdinaryKeys() {
        for (String k : List.of("a", "datasets/sales/0001.parquet", "_vectors/idx.lhv1", "dots.are/ok..too/.hidden",
                "ünïcödé/日本語/😀", "x".repeat(1024), "é".repeat(512), "trailing/")) {
            assertEquals(k, ObjectKeys.validate(k));
        }
    }

    @Test
    void rejectsBadKeysWithAReason() {
        assertRejected("", "empty");
        assertRejected("/abs", "starts with '/'");
        assertRejected("..", "'..'");
        assertRejected("a/../b", "'..'");
        assertRejected("a/..", "'..'");
        assertRejected("../a", "'..'");
        assertRejected("a\nb", "control character");
        assertRejected("a\u0000b", "control character");
        assertRejected("a\u007fb", "control character");
        assertRejected("x".repeat(1025), "longer than 1024");
        assertRejected("é".repeat(513), "longer than 1024"); // 1026 bytes, 513 chars
        assertRejected("bad\uFFFDutf8", "UTF-8");
        assertRejected("lone\uD800surrogate", "UTF-8");
        assertRejected("a//b", "empty segment");
        assertRejected("trailing//", "empty segment");
    }

    @Test
    void prefixMayBeEmptyButFollowsTheSameRules() {
        assertEquals("", ObjectKeys.validatePrefix(null));
        assertEquals("", ObjectKeys.validatePrefix(""));
        assertEquals("datasets/", ObjectKeys.validatePrefix("datasets/"));
        assertThrows(BadRequest.class, () -> ObjectKeys.validatePrefix("a/../"));
    }

    private static void assertRejected(String key, String reason) {
        BadRequest e = assertThrows(BadRequest.class, () -> ObjectKeys.validate(key));
        assertTrue(e.getMessage().contains(reason), e.getMessage() + " should say " + reason);
        assertEquals(400, e.status());
    }
}
