package dev.lakehouse.queryd.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * Where the next JSON page starts: the statement (by hash), the row offset, the page size and the manifest
 * versions the first page was computed from, so every page is cut from the same snapshot. Opaque to clients
 * (base64url of a small JSON object, format version {@code v}); nothing is kept on the server.
 */
public record PageCursor(@JsonProperty("v") int formatVersion, String statement, long offset,
        @JsonProperty("page_size") long pageSize, Map<String, Integer> versions) {
    static final int FORMAT_VERSION = 1;
    /** Cursors come back from clients: unknown fields of a newer queryd are ignored, the version is checked. */

    static PageCursor next(String sql, long offset, long pageSize, Map<String, Integer> versions) {
        return new PageCursor(FORMAT_VERSION, hash(sql), offset, pageSize, Map.copyOf(versions));
    }

    String encode() {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.MAPPER.writeValueAsBytes(this));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cursor a client sent with {@code sql}; 400 when it is malformed or belongs to another statement. */
    static PageCursor decode(String text, String sql) {
        PageCursor c;
        try {
            c = Json.TOLERANT.readValue(Base64.getUrlDecoder().decode(text.trim()), PageCursor.class);
        } catch (IllegalArgumentException | IOException e) {
            throw bad("cursor is malformed");
        }
        if (c == null || c.formatVersion() != FORMAT_VERSION || c.statement() == null || c.offset() < 0
                || c.pageSize() < 1 || c.versions() == null) {
            throw bad("cursor is malformed or of an unknown format version");
        }
        if (!c.statement().equals(hash(sql))) {
            throw new BadRequest("cursor belongs to a different statement; send the statement it came with",
                    Map.of("code", "cursor_mismatch"));
        }
        return c;
    }

    private static BadRequest bad(String message) {
        return new BadRequest(message, Map.of("code", "bad_cursor"));
    }

    private static String hash(String sql) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(sql.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
