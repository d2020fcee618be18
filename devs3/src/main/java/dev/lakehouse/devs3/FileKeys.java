package dev.lakehouse.devs3;

/**
 * How an S3 key is spelled as a path in the filesystem backend, so that it can hold every key real S3 accepts.
 * A raw key cannot always be a path: {@code a/} has a trailing slash (the
 * backend took it for a directory marker and dropped the body), a segment over ~218 bytes does not fit a file
 * name once the backend appends {@code -<uuid>} to its temp file, {@code a} and {@code a/b} cannot both exist
 * (a file and a directory of one name), and a temp file {@code <key>-<uuid>} looked like an object.
 *
 * <p>The spelling: every segment gets a leading {@code ~}; a segment longer than {@value #CHUNK_BYTES} bytes
 * goes on in further path components that start with {@code +}; the whole name ends with a space. So no component is empty, {@code .} or {@code ..}, or longer than 255 bytes with the backend's
 * decorations; a file never collides with a directory; and a name that does not end with the terminator (a
 * temp file, the backend's bookkeeping) is no object. The mapping keeps prefixes (the encoding of a prefix
 * of a key is a prefix of the key's encoding, so prefix listings map one to one) and, but for a segment of
 * exactly a chunk's length, order. See docs/adr/0015-devs3-key-encoding.md.
 */
final class FileKeys {
    /** Content bytes per path component: 255 less the backend's longest decoration (".mpus-<uuid>-" and "-NNNNN"). */
    static final int CHUNK_BYTES = 192;
    static final char SEGMENT = '~';
    static final char CONTINUATION = '+';
    /** The lowest character XML 1.0 can carry: S3 listings put stored names in continuation tokens. */
    static final char END = ' ';

    private FileKeys() {}

    /** The stored name of {@code key}. */
    static String encode(String key) {
        return encodePrefix(key) + END;
    }

    /** The stored-name prefix every key starting with {@code prefix} has. */
    static String encodePrefix(String prefix) {
        StringBuilder out = new StringBuilder(prefix.length() + 16);
        out.append(SEGMENT);
        int inComponent = 0;
        for (int i = 0; i < prefix.length(); ) {
            int cp = prefix.codePointAt(i);
            int n = Character.charCount(cp);
            if (cp == '/') {
                out.append('/').append(SEGMENT);
                inComponent = 0;
            } else {
                int bytes = utf8Length(cp);
                if (inComponent + bytes > CHUNK_BYTES) {
                    out.append('/').append(CONTINUATION);
                    inComponent = 0;
                }
                out.appendCodePoint(cp);
                inComponent += bytes;
            }
            i += n;
        }
        return out.toString();
    }

    /** The key a stored name encodes, or null if it is no object's name (a temp file, bookkeeping). */
    static String decode(String stored) {
        if (stored.isEmpty() || stored.charAt(stored.length() - 1) != END) {
            return null;
        }
        return decodePrefix(stored.substring(0, stored.length() - 1));
    }

    /** The key prefix of a stored-name prefix whose components are whole (e.g. a common prefix less its '/'). */
    static String decodePrefix(String stored) {
        StringBuilder out = new StringBuilder(stored.length());
        String[] components = stored.split("/", -1);
        for (int i = 0; i < components.length; i++) {
            String c = components[i];
            if (c.isEmpty() || c.charAt(0) != SEGMENT && (c.charAt(0) != CONTINUATION || i == 0)) {
                return null; // not a name this encoding made
            }
            if (c.charAt(0) == SEGMENT && i > 0) {
                out.append('/');
            }
            out.append(c, 1, c.length());
        }
        return out.toString();
    }

    private static int utf8Length(int cp) {
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }
}
