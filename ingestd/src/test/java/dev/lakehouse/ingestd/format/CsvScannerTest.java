package dev.lakehouse.ingestd.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.error.Conflict;
import dev.lakehouse.common.model.ColumnSpec;
import dev.lakehouse.ingestd.csv.CsvScanner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java half of CSV checking (header, first structural error) and the append drift rules. */
class CsvScannerTest {
    @TempDir
    Path dir;

    Path csv(String content) throws IOException {
        Path p = Files.createTempFile(dir, "t", ".csv");
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void headerHandlesQuotesCrlfAndBom() throws IOException {
        assertEquals(List.of("a", "b,c", "d\"e"), CsvScanner.header(csv("a,\"b,c\",\"d\"\"e\"\r\n1,2,3\r\n")));
        assertEquals(List.of("id", "x"), CsvScanner.header(csv("\uFEFFid,x\n1,2\n")));
        assertEquals(List.of("only"), CsvScanner.header(csv("only")));
    }

    @Test
    void headerRejectsEmptyBlankAndDuplicateNames() {
        assertLine(1, () -> CsvScanner.header(csv("")));
        assertLine(1, () -> CsvScanner.header(csv("a, ,c\n")));
        assertLine(1, () -> CsvScanner.header(csv("Name,name\n")));
        assertLine(1, () -> CsvScanner.header(csv("\"open,b\n")));
    }

    @Test
    void soundFilesHaveNoError() throws IOException {
        assertNull(CsvScanner.firstError(csv("a,b\n1,2\n")));
        assertNull(CsvScanner.firstError(csv("a,b\r\n1,2\r\n3,4")));
        assertNull(CsvScanner.firstError(csv("a,b\n1,\"multi\nline, with comma\"\n\n3,\"say \"\"hi\"\"\"\n")));
    }

    @Test
    void namesTheLineOfTheFirstStructuralError() throws IOException {
        assertEquals(3L, line(CsvScanner.firstError(csv("a,b\n1,2\n1,2,3\n"))));
        assertEquals(4L, line(CsvScanner.firstError(csv("a,b\n1,\"x\ny\"\n5\n"))), "lines inside quotes count");
        assertEquals(2L, line(CsvScanner.firstError(csv("a,b\n1,\"never closed\n2,3\n"))));
        assertEquals(2L, line(CsvScanner.firstError(csv("a,b\n1,\"x\"y\n"))));
        assertEquals(2L, line(CsvScanner.firstError(csv("a,b\n1,x\"y\n"))));
        assertEquals(3L, line(CsvScanner.firstError(csv("a,b\n1,2\n9"))), "last line without newline");
        assertTrue(CsvScanner.firstError(csv("a,b\n1,2,3\n")).getMessage().contains("expected 2 fields"));
    }

    @Test
    void appendAcceptsEqualOrLosslesslyWidenedTypesOnly() {
        List<ColumnSpec> cur = List.of(new ColumnSpec("id", "BIGINT"), new ColumnSpec("v", "DOUBLE"),
                new ColumnSpec("d", "TIMESTAMP"), new ColumnSpec("s", "VARCHAR"));
        List<ColumnSpec> widened = List.of(new ColumnSpec("id", "BIGINT"), new ColumnSpec("v", "BIGINT"),
                new ColumnSpec("d", "DATE"), new ColumnSpec("s", "BOOLEAN"));
        assertEquals(cur, SchemaCheck.forAppend("x", cur, widened));
        Conflict narrowed = assertThrows(Conflict.class, () -> SchemaCheck.forAppend("x", cur, List.of(
                new ColumnSpec("id", "DOUBLE"), cur.get(1), cur.get(2), cur.get(3))));
        assertEquals(cur, narrowed.details().get("expected"));
        assertThrows(Conflict.class, () -> SchemaCheck.forAppend("x", cur, cur.subList(0, 3)));
        assertThrows(Conflict.class, () -> SchemaCheck.forAppend("x", cur, List.of(
                new ColumnSpec("ID", "BIGINT"), cur.get(1), cur.get(2), cur.get(3))));
    }

    @Test
    void appendWideningNeverRoundsOrAssumesATimeZone() {
        assertTrue(SchemaCheck.fits("BIGINT", "DECIMAL(38,0)"));
        assertTrue(SchemaCheck.fits("BIGINT", "DECIMAL(20,1)"));
        assertTrue(SchemaCheck.fits("DECIMAL(10,2)", "DECIMAL(12,3)"));
        assertTrue(SchemaCheck.fits("UUID", "VARCHAR"));
        assertTrue(!SchemaCheck.fits("DECIMAL(10,2)", "DECIMAL(10,3)"), "integer digits would shrink");
        assertTrue(!SchemaCheck.fits("DECIMAL(10,2)", "DOUBLE"));
        assertTrue(!SchemaCheck.fits("DOUBLE", "DECIMAL(38,10)"));
        assertTrue(!SchemaCheck.fits("DECIMAL(38,0)", "DOUBLE"));
        assertTrue(!SchemaCheck.fits("DECIMAL(38,0)", "BIGINT"));
        assertTrue(!SchemaCheck.fits("TIMESTAMP", "TIMESTAMP WITH TIME ZONE"));
        assertTrue(!SchemaCheck.fits("TIME", "TIMESTAMP"));
    }

    static long line(BadRequest e) {
        assertTrue(e != null, "expected an error");
        return ((Number) e.details().get("line")).longValue();
    }

    static void assertLine(long expected, org.junit.jupiter.api.function.Executable call) {
        BadRequest e = assertThrows(BadRequest.class, call);
        assertEquals(expected, line(e));
        assertTrue(e.getMessage().startsWith("line " + expected + ":"), e.getMessage());
    }
}
