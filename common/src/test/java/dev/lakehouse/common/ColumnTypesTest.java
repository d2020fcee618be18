package dev.lakehouse.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ColumnTypesTest {
    @Test
    void everyWidenedDuckDbTypeBecomesAColumnTypeAndIsNotOneItself() {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> e : ColumnTypes.WIDENED.entrySet()) {
            if (ColumnTypes.canonical(e.getKey()) != null || !e.getValue().equals(ColumnTypes.canonical(e.getValue()))) {
                wrong.add(e.getKey() + " -> " + e.getValue());
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void aDuckDbTypeIsHeldByItselfByItsWiderTypeOrByNone() {
        assertEquals("BIGINT", ColumnTypes.holding("integer"));
        assertEquals("DECIMAL(20,0)", ColumnTypes.holding("UBIGINT"));
        assertEquals("DOUBLE", ColumnTypes.holding("FLOAT"));
        assertEquals("DECIMAL(38,0)", ColumnTypes.holding("HUGEINT"));
        assertEquals("DECIMAL(18,3)", ColumnTypes.holding("DECIMAL(18,3)"));
        assertEquals("TIMESTAMP WITH TIME ZONE", ColumnTypes.holding("timestamptz"));
        assertEquals("UUID", ColumnTypes.holding("uuid"));
        assertNull(ColumnTypes.holding("TIMESTAMP_NS"), "nanoseconds would be truncated");
        assertNull(ColumnTypes.holding("INTEGER[]"));
    }
}
