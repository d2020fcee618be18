package dev.lakehouse.storaged;

import dev.lakehouse.common.error.BadRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The listing cursor handed to clients: S3's continuation token together with the prefix it belongs to,
 * base64url-encoded. Opaque to clients, and checked on the way back, so a garbled cursor or one from
 * another listing is a 400 instead of silently listing something else.
 */
final class ListCursor {
    private static final String VERSION = "c1";

    private ListCursor() {}

    static String encode(String prefix, String continuationToken) {
        if (continuationToken == null) {
            return null;
        }
        String raw = VERSION + "\n" + prefix + "\n" + continuationToken;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The continuation token for {@code prefix}, or null for the first page. */
    static String decode(String prefix, String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("invalid cursor: not one this service issued");
        }
        String[] parts = raw.split("\n", 3);
        if (parts.length != 3 || !parts[0].equals(VERSION) || parts[2].isEmpty()) {
            throw new BadRequest("invalid cursor: not one this service issued");
        }
        if (!parts[1].equals(prefix)) {
            throw new BadRequest("cursor belongs to a listing of prefix '" + parts[1] + "', not '" + prefix + "'");
        }
        return parts[2];
    }
}
