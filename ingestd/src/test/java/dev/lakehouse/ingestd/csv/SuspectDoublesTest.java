package dev.lakehouse.ingestd.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakehouse.common.model.ColumnSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exact-integer check on a just-written Parquet file: footer statistics first, a scan only when they cannot rule it out. */
class SuspectDoublesTest {
    @TempDir
    static Path dir;
    static DuckCsv duck;

    @BeforeAll
    static void open() throws Exception {
        duck = new DuckCsv("256MB", 2, dir.resolve("duck-tmp"));
    }

    @AfterAll
    static void close() throws Exception {
        duck.close();
    }

    static Path write(String name, String select) throws Exception {
        Path out = dir.resolve(name + ".parquet");
        try (var c = duck.connection(); Statement s = c.createStatement()) {
            s.execute("COPY (" + select + ") TO '" + out + "' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 50000)");
        }
        return out;
    }

    /** Zeroes every byte between the magic and the footer: the data pages are gone, the footer is intact. */
    static void destroyDataPages(Path parquet) throws IOException {
        try (FileChannel ch = FileChannel.open(parquet, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(tail, ch.size() - 8);
            long footerStart = ch.size() - 8 - tail.getInt(0);
            ByteBuffer zeros = ByteBuffer.allocate((int) (footerStart - 4));
            ch.write(zeros, 4);
        }
    }

    @Test
    void doublesTheFooterBoundsBelowTwoToThe53AreClearedWithoutReadingTheDataAgain() throws Exception {
        Path p = write("bounded", "SELECT i AS id, i * 0.5 AS price, -1.0e15 + i AS neg FROM range(200000) t(i)");
        destroyDataPages(p); // a scan of the values would now fail
        List<ColumnSpec> schema = List.of(new ColumnSpec("id", "BIGINT"), new ColumnSpec("price", "DOUBLE"),
                new ColumnSpec("neg", "DOUBLE"));
        assertEquals(List.of(), duck.suspectDoubles(p, schema));
    }

    @Test
    void integralDoublesPastTwoToThe53AreStillSuspectsAndOtherDoublesPastItAreNot() throws Exception {
        Path p = write("wide", "SELECT 1.2345678901234567e19 + i * 4096 AS big, 1.0e20 + i + 0.5 AS frac,"
                + " -1.0e19 * (i % 2) AS neg, i * 0.25 AS small FROM range(120000) t(i)");
        List<ColumnSpec> schema = List.of(new ColumnSpec("big", "DOUBLE"), new ColumnSpec("frac", "DOUBLE"),
                new ColumnSpec("neg", "DOUBLE"), new ColumnSpec("small", "DOUBLE"));
        // frac: past 2^53 a double has no fraction left, so it is integral too and must be checked against the text
        assertEquals(List.of("big", "frac", "neg"), duck.suspectDoubles(p, schema));
    }

    @Test
    void aColumnWithoutStatisticsIsScannedAsBefore() throws Exception {
        Path p = write("nulls", "SELECT CAST(NULL AS DOUBLE) AS empty, CASE WHEN i = 7 THEN 'nan'::DOUBLE ELSE i END AS nan"
                + " FROM range(1000) t(i)");
        List<ColumnSpec> schema = List.of(new ColumnSpec("empty", "DOUBLE"), new ColumnSpec("nan", "DOUBLE"));
        // all NULL: nothing to round; a NaN among integers is ruled out by the text check, so the scan decides as before
        assertEquals(List.of("nan"), duck.suspectDoubles(p, schema));
    }
}
