package dev.lakehouse.catalogd.verify;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the catalog checks in a Parquet file's footer: its row count and its top-level columns with their
 * DuckDB type names. Parsed straight from the footer bytes (Parquet's {@code FileMetaData}, Thrift compact
 * protocol), reading only the fields needed and skipping the rest, so catalogd needs no Parquet library and
 * never the file's data.
 */
public record ParquetFooter(long rows, List<Column> columns) {
    /** A top-level column; {@code type} is what DuckDB reads it as (BIGINT, VARCHAR, ...). */
    public record Column(String name, String type) {}

    /** The bytes are not a footer this parser understands (truncated, not Thrift, nesting too deep). */
    public static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message);
        }
    }

    // Thrift compact protocol type ids
    private static final int BOOL_TRUE = 1;
    private static final int BOOL_FALSE = 2;
    private static final int BYTE = 3;
    private static final int I16 = 4;
    private static final int I32 = 5;
    private static final int I64 = 6;
    private static final int DOUBLE = 7;
    private static final int BINARY = 8;
    private static final int LIST = 9;
    private static final int SET = 10;
    private static final int MAP = 11;
    private static final int STRUCT = 12;
    private static final int MAX_DEPTH = 64;

    /** Parses {@code FileMetaData} (the footer without its trailing length and magic). */
    public static ParquetFooter parse(byte[] fileMetaData) {
        Reader in = new Reader(fileMetaData);
        long[] rows = {-1};
        List<Element> schema = new ArrayList<>();
        in.struct((id, type) -> {
            if (id == 2 && type == LIST) {
                schema.addAll(schema(in));
            } else if (id == 3 && type == I64) {
                rows[0] = in.zigzag();
            } else {
                in.skip(type, 0);
            }
        });
        if (rows[0] < 0 || schema.isEmpty()) {
            throw new Malformed("footer lacks " + (rows[0] < 0 ? "num_rows" : "a schema"));
        }
        return new ParquetFooter(rows[0], topLevel(schema));
    }

    /** One flattened schema element (the fields of Parquet's SchemaElement the type mapping needs). */
    private record Element(String name, Integer physical, int children, Integer converted, int logical,
                           int intBits, boolean intSigned, boolean utc, Integer scale, Integer precision) {}

    private static List<Element> schema(Reader in) {
        int header = in.u8();
        int size = listSize(in, header);
        if ((header & 0x0f) != STRUCT) {
            throw new Malformed("schema is not a list of structs");
        }
        List<Element> out = new ArrayList<>(Math.min(size, 4096));
        for (int i = 0; i < size; i++) {
            out.add(element(in));
        }
        return out;
    }

    /** SchemaElement as it is read: 1 type, 4 name, 5 num_children, 6 converted_type, 7 scale, 8 precision, 10 logicalType. */
    private static final class ElementFields {
        String name;
        Integer physical;
        Integer converted;
        int children;
        int logical;
        int intBits;
        boolean intSigned = true;
        boolean utc;
        Integer scale;
        Integer precision;
    }

    private static Element element(Reader in) {
        ElementFields e = new ElementFields();
        in.struct((id, type) -> {
            switch (id) {
                case 1 -> e.physical = (int) in.zigzag();
                case 4 -> e.name = new String(in.binary(), StandardCharsets.UTF_8);
                case 5 -> e.children = (int) in.zigzag();
                case 6 -> e.converted = (int) in.zigzag();
                case 7 -> e.scale = (int) in.zigzag();
                case 8 -> e.precision = (int) in.zigzag();
                // LogicalType is a union: the id of its one set field says which; INTEGER and TIMESTAMP carry details
                case 10 -> in.struct((lid, lType) -> {
                    e.logical = lid;
                    if (lType == STRUCT && (lid == 10 || lid == 8)) {
                        in.struct((sid, sType) -> {
                            boolean bool = sType == BOOL_TRUE || sType == BOOL_FALSE;
                            if (lid == 10 && sid == 1 && sType == BYTE) {
                                e.intBits = in.u8();
                            } else if (lid == 10 && sid == 2 && bool) {
                                e.intSigned = sType == BOOL_TRUE;
                            } else if (lid == 8 && sid == 1 && bool) {
                                e.utc = sType == BOOL_TRUE;
                            } else {
                                in.skip(sType, 1);
                            }
                        });
                    } else {
                        in.skip(lType, 1);
                    }
                });
                default -> in.skip(type, 0);
            }
        });
        if (e.name == null) {
            throw new Malformed("schema element without a name");
        }
        return new Element(e.name, e.physical, e.children, e.converted, e.logical, e.intBits, e.intSigned, e.utc,
                e.scale, e.precision);
    }

    /** The root's direct children; a nested column's own children are skipped, its type is STRUCT/LIST/MAP. */
    private static List<Column> topLevel(List<Element> schema) {
        List<Column> out = new ArrayList<>();
        int[] pos = {1};
        for (int i = 0; i < schema.get(0).children(); i++) {
            if (pos[0] >= schema.size()) {
                throw new Malformed("schema lists fewer elements than the root's " + schema.get(0).children() + " children");
            }
            Element e = schema.get(pos[0]);
            out.add(new Column(e.name(), duckType(e)));
            skipSubtree(schema, pos, 0);
        }
        return out;
    }

    private static void skipSubtree(List<Element> schema, int[] pos, int depth) {
        if (depth > MAX_DEPTH || pos[0] >= schema.size()) {
            throw new Malformed("schema tree is truncated or too deep");
        }
        Element e = schema.get(pos[0]++);
        for (int i = 0; i < e.children(); i++) {
            skipSubtree(schema, pos, depth + 1);
        }
    }

    /** DuckDB's name for a column's type, after its read_parquet mapping; unknown ones keep the Parquet name. */
    static String duckType(Element e) {
        if (e.physical() == null) {
            return e.converted() != null && e.converted() == 1 || e.logical() == 2 ? "MAP"
                    : e.converted() != null && e.converted() == 3 || e.logical() == 3 ? "LIST" : "STRUCT";
        }
        Integer c = e.converted();
        int l = e.logical();
        return switch (e.physical()) {
            case 0 -> "BOOLEAN";
            case 1 -> l == 6 || c != null && c == 6 ? "DATE"
                    : l == 5 || c != null && c == 5 ? decimal(e)
                    : l == 7 || c != null && c == 7 ? "TIME"
                    : l == 10 ? integer(e.intBits(), e.intSigned())
                    : c != null && c >= 11 && c <= 17 ? integer(new int[] {8, 16, 32, 64, 8, 16, 32}[c - 11], c >= 15)
                    : "INTEGER";
            case 2 -> l == 8 ? (e.utc() ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP")
                    : c != null && (c == 9 || c == 10) ? "TIMESTAMP"
                    : l == 5 || c != null && c == 5 ? decimal(e)
                    : l == 7 || c != null && c == 8 ? "TIME"
                    : l == 10 ? integer(e.intBits(), e.intSigned())
                    : c != null && c == 14 ? "UBIGINT"
                    : "BIGINT";
            case 3 -> "TIMESTAMP"; // INT96, as DuckDB reads it
            case 4 -> "FLOAT";
            case 5 -> "DOUBLE";
            case 6 -> l == 1 || l == 4 || l == 12 || c != null && (c == 0 || c == 4 || c == 19) ? "VARCHAR" : "BLOB";
            case 7 -> l == 14 ? "UUID" : l == 5 || c != null && c == 5 ? decimal(e) : "BLOB";
            default -> "PARQUET_TYPE_" + e.physical();
        };
    }

    /** DECIMAL(p,s) as DuckDB names it (the element's precision and scale; DuckDB's default 18,3 when absent). */
    private static String decimal(Element e) {
        return e.precision() == null ? "DECIMAL" : "DECIMAL(" + e.precision() + "," + (e.scale() == null ? 0 : e.scale()) + ")";
    }

    private static String integer(int bits, boolean signed) {
        String base = switch (bits) {
            case 8 -> "TINYINT";
            case 16 -> "SMALLINT";
            case 32 -> "INTEGER";
            default -> "BIGINT";
        };
        return signed ? base : "U" + base;
    }

    private static int fieldId(Reader in, int header, int last) {
        int delta = header >>> 4;
        return delta == 0 ? (int) in.zigzag() : last + delta;
    }

    private static int listSize(Reader in, int header) {
        int size = header >>> 4;
        long n = size == 15 ? in.varint() : size;
        if (n < 0 || n > in.remaining()) { // every element takes at least one byte
            throw new Malformed("list of " + n + " elements in " + in.remaining() + " bytes");
        }
        return (int) n;
    }

    /** Called for each field of a struct with its id and wire type; must consume the field's value. */
    private interface FieldReader {
        void read(int id, int type);
    }

    private static final class Reader {
        private final byte[] b;
        private int pos;

        Reader(byte[] b) {
            this.b = b;
        }

        int remaining() {
            return b.length - pos;
        }

        /** Reads a struct's fields up to its STOP byte (a field's boolean value is in its header's type). */
        void struct(FieldReader fields) {
            int last = 0;
            while (true) {
                int header = u8();
                if (header == 0) {
                    return;
                }
                last = fieldId(this, header, last);
                fields.read(last, header & 0x0f);
            }
        }

        int u8() {
            if (pos >= b.length) {
                throw new Malformed("footer truncated at byte " + pos);
            }
            return b[pos++] & 0xff;
        }

        long varint() {
            long r = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int x = u8();
                r |= (long) (x & 0x7f) << shift;
                if ((x & 0x80) == 0) {
                    return r;
                }
            }
            throw new Malformed("varint longer than 10 bytes at byte " + pos);
        }

        long zigzag() {
            long n = varint();
            return (n >>> 1) ^ -(n & 1);
        }

        byte[] binary() {
            long n = varint();
            if (n < 0 || n > remaining()) {
                throw new Malformed("string of " + n + " bytes with " + remaining() + " left");
            }
            byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + (int) n);
            pos += (int) n;
            return out;
        }

        /** Skips one value of {@code type}; {@code inCollection}: a boolean is then a byte of its own. */
        void skip(int type, int depth) {
            if (depth > MAX_DEPTH) {
                throw new Malformed("nesting deeper than " + MAX_DEPTH);
            }
            switch (type) {
                case BOOL_TRUE, BOOL_FALSE -> { } // a field's boolean lives in its header
                case BYTE -> u8();
                case I16, I32, I64 -> varint();
                case DOUBLE -> {
                    if (remaining() < 8) {
                        throw new Malformed("footer truncated in a double");
                    }
                    pos += 8;
                }
                case BINARY -> binary();
                case LIST, SET -> {
                    int header = u8();
                    int n = listSize(this, header);
                    int et = header & 0x0f;
                    for (int i = 0; i < n; i++) {
                        skipElement(et, depth + 1);
                    }
                }
                case MAP -> {
                    long n = varint();
                    if (n < 0 || n > remaining()) {
                        throw new Malformed("map of " + n + " entries in " + remaining() + " bytes");
                    }
                    if (n > 0) {
                        int kv = u8();
                        for (long i = 0; i < n; i++) {
                            skipElement(kv >>> 4, depth + 1);
                            skipElement(kv & 0x0f, depth + 1);
                        }
                    }
                }
                case STRUCT -> struct((id, t) -> skip(t, depth + 1));
                default -> throw new Malformed("unknown Thrift type " + type + " at byte " + pos);
            }
        }

        private void skipElement(int type, int depth) {
            if (type == BOOL_TRUE || type == BOOL_FALSE) {
                u8(); // in a collection a boolean is a byte
            } else {
                skip(type, depth);
            }
        }
    }
}
