package dev.lakehouse.common.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The version stamp of one kind of stored JSON record (manifests, intents, idempotency records, ...), after
 * Lucene's codec headers: every record is written with {@code "format": NAME, "format_version": "MAJOR.MINOR"}.
 *
 * <p>Compatibility rule: a <b>minor</b> bump only adds optional fields, so any reader of the same major reads
 * it (unknown fields are ignored, {@link Json#TOLERANT}); a <b>major</b> bump changes meaning, and a reader
 * refuses majors outside {@code [minMajor, major]} with a clear error instead of misreading. A record without a
 * stamp was written before stamping began and reads as {@code 1.0}.
 */
public record RecordFormat(String name, int minMajor, int major, int minor) {
    public static final String FORMAT = "format";
    public static final String FORMAT_VERSION = "format_version";

    public RecordFormat {
        if (minMajor < 1 || minMajor > major || minor < 0) {
            throw new IllegalArgumentException("bad record format range for " + name);
        }
    }

    /** A format at {@code major.minor} that reads majors {@code 1..major}. */
    public static RecordFormat of(String name, int major, int minor) {
        return new RecordFormat(name, 1, major, minor);
    }

    public String version() {
        return major + "." + minor;
    }

    /** {@code record} as JSON bytes, stamped with this format. */
    public byte[] write(Object record) {
        ObjectNode node = Json.MAPPER.valueToTree(record);
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put(FORMAT, name);
        out.put(FORMAT_VERSION, version());
        node.fields().forEachRemaining(e -> {
            if (!e.getKey().equals(FORMAT) && !e.getKey().equals(FORMAT_VERSION)) {
                out.set(e.getKey(), e.getValue());
            }
        });
        return Json.bytes(out);
    }

    /**
     * Reads a record of this format tolerantly. Throws {@link UnsupportedFormatException} for another format's
     * record or a major outside the range this build reads; {@link IOException} for bytes that are not JSON.
     */
    public <T> T read(byte[] bytes, Class<T> type) throws IOException {
        JsonNode node = Json.TOLERANT.readTree(bytes);
        if (node == null || !node.isObject()) {
            throw new IOException(name + " record is not a JSON object");
        }
        ObjectNode obj = (ObjectNode) node;
        JsonNode f = obj.remove(FORMAT);
        if (f != null && !f.asText().equals(name)) {
            throw new UnsupportedFormatException("record is a '" + f.asText() + "', not a '" + name + "'");
        }
        JsonNode v = obj.remove(FORMAT_VERSION);
        int readMajor = v == null ? 1 : parseMajor(v.asText());
        if (readMajor < minMajor || readMajor > major) {
            throw new UnsupportedFormatException(name + " format_version " + v.asText() + " is not readable by this build"
                    + " (reads " + minMajor + ".x to " + major + ".x); upgrade this service");
        }
        return Json.TOLERANT.treeToValue(obj, type);
    }

    private int parseMajor(String version) throws UnsupportedFormatException {
        try {
            int dot = version.indexOf('.');
            return Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
        } catch (NumberFormatException e) {
            throw new UnsupportedFormatException(name + " format_version '" + version + "' is not MAJOR.MINOR");
        }
    }

    /** A stored record this build cannot read (other format, newer major). */
    public static final class UnsupportedFormatException extends IOException {
        public UnsupportedFormatException(String message) {
            super(message);
        }
    }
}
