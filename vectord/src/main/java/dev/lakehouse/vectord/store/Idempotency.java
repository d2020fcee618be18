package dev.lakehouse.vectord.store;

import dev.lakehouse.common.error.Conflict;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.vectord.wal.WalOp;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code Idempotency-Key}s of one index within the window: key → the request's SHA-256 and its outcome.
 * A key is remembered only once its batch is durable, because it travels in the same WAL record
 * ({@link WalOp.Remember}); a snapshot stores the keys it has in a small JSON object beside the WAL
 * ({@code {seq}.idem}, format below), so they outlive the records the snapshot lets go.
 *
 * <p>Stored form: {@code {"format_version":1,"incarnation":N,"covers_seq":S,"keys":[{"key","hash"(hex),
 * "status","added","at"(epoch ms)}]}}; readers accept format versions 1..1 and ignore unknown fields.
 */
public final class Idempotency {
    public static final int FORMAT_VERSION = 1;

    /** What a keyed request answered: its status and how many items it added. */
    public record Outcome(int status, int added) {}

    private record Entry(byte[] hash, Outcome outcome, long atMillis) {}

    public record Stored(String key, String hash, int status, int added, long at) {}

    public record File(int formatVersion, long incarnation, long coversSeq, List<Stored> keys) {}

    private final long windowMillis;
    private final int maxKeys;
    private final LinkedHashMap<String, Entry> done = new LinkedHashMap<>();
    private final Map<String, byte[]> inFlight = new LinkedHashMap<>();

    public Idempotency(long windowMillis, int maxKeys) {
        this.windowMillis = windowMillis;
        this.maxKeys = maxKeys;
    }

    /**
     * The earlier outcome for the same key and request; empty (and the key is now in flight) for a new key.
     * 409 {@code idempotency_key_reused} for the same key with another request, 409
     * {@code idempotency_key_in_flight} while the first request with it is still running.
     */
    public synchronized Optional<Outcome> begin(String key, byte[] hash) {
        purge(System.currentTimeMillis());
        Entry e = done.get(key);
        if (e != null) {
            if (!Arrays.equals(e.hash, hash)) {
                throw new Conflict("Idempotency-Key '" + key + "' was used for a different request; use a new key",
                        Map.of("code", "idempotency_key_reused", "idempotency_key", key));
            }
            return Optional.of(e.outcome);
        }
        if (inFlight.containsKey(key)) {
            throw new Conflict("a request with Idempotency-Key '" + key + "' is still in progress; retry later",
                    Map.of("code", "idempotency_key_in_flight", "idempotency_key", key));
        }
        inFlight.put(key, hash);
        return Optional.empty();
    }

    /** Ends what {@link #begin} started; the key is kept only if {@link #remember} was called. */
    public synchronized void end(String key) {
        inFlight.remove(key);
    }

    public synchronized void remember(WalOp.Remember r) {
        if (r.atMillis() + windowMillis < System.currentTimeMillis()) {
            return;
        }
        done.remove(r.key());
        done.put(r.key(), new Entry(r.requestHash(), new Outcome(r.status(), r.added()), r.atMillis()));
        while (done.size() > maxKeys) {
            Iterator<String> oldest = done.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    public synchronized int size() {
        return done.size();
    }

    private void purge(long now) {
        Iterator<Entry> it = done.values().iterator();
        while (it.hasNext() && it.next().atMillis + windowMillis < now) {
            it.remove();
        }
    }

    public synchronized byte[] encode(long incarnation, long coversSeq) {
        purge(System.currentTimeMillis());
        List<Stored> keys = new ArrayList<>(done.size());
        done.forEach((k, e) -> keys.add(new Stored(k, HexFormat.of().formatHex(e.hash), e.outcome.status(),
                e.outcome.added(), e.atMillis)));
        return Json.bytes(new File(FORMAT_VERSION, incarnation, coversSeq, keys));
    }

    /** Loads a stored file; a format outside 1..1 is refused with the reason. */
    public void load(byte[] json) throws IOException {
        File f = Json.TOLERANT.readValue(json, File.class);
        if (f.formatVersion() < 1 || f.formatVersion() > FORMAT_VERSION) {
            throw new IOException("idempotency keys in format version " + f.formatVersion() + " (this build reads 1.."
                    + FORMAT_VERSION + ")");
        }
        if (f.keys() != null) {
            for (Stored s : f.keys()) {
                remember(new WalOp.Remember(s.key(), HexFormat.of().parseHex(s.hash()), s.status(), s.added(), s.at()));
            }
        }
    }
}
