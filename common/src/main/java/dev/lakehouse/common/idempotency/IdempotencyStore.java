package dev.lakehouse.common.idempotency;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.StorageLayout;
import dev.lakehouse.common.concurrent.Daemons;
import dev.lakehouse.common.error.BadGateway;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.error.Conflict;
import dev.lakehouse.common.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable memory of {@code Idempotency-Key}s for one service: records under
 * {@code _idempotency/{service}/{scope}/{sha256(key)}.json}, kept for a window (default 24 h) and ignored and
 * swept after it. So a client retrying a write whose answer it never saw (the service died, the connection
 * broke) gets the original outcome, also from a restarted service, and never a second write. The same key with
 * another request is {@code 409 idempotency_key_reused}; the same key while its first request is still running
 * in this process is {@code 409 idempotency_key_in_flight}.
 */
public final class IdempotencyStore implements AutoCloseable {
    public static final String HEADER = "Idempotency-Key";
    /** Set on a replayed answer. */
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    public static final String KEY_REUSED = "idempotency_key_reused";
    public static final String IN_FLIGHT = "idempotency_key_in_flight";
    private static final Logger log = LoggerFactory.getLogger(IdempotencyStore.class);
    private static final int MAX_KEY_LENGTH = 255;

    private final RecordStorage storage;
    private final String prefix;
    private final Duration window;
    private final Clock clock;
    private final ConcurrentMap<String, Boolean> inFlight = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper = Daemons.scheduler("idempotency-sweep");

    public IdempotencyStore(RecordStorage storage, String service, Duration window, Clock clock) {
        this.storage = storage;
        this.prefix = StorageLayout.IDEMPOTENCY_PREFIX + service + "/";
        this.window = window;
        this.clock = clock;
    }

    /** The header's value if the request carries one (validated), else null. */
    public static String keyOf(String header) {
        if (header == null) {
            return null;
        }
        if (header.isEmpty() || header.length() > MAX_KEY_LENGTH || !header.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw new BadRequest(HEADER + " must be 1-" + MAX_KEY_LENGTH + " visible ASCII characters",
                    Map.of("code", "invalid_idempotency_key"));
        }
        return header;
    }

    /** {@code sha256:<hex>} over the parts, each length-prefixed so that no two part lists collide. */
    public static String hash(byte[]... parts) {
        MessageDigest d = sha256();
        for (byte[] p : parts) {
            d.update(Integer.toString(p.length).getBytes(StandardCharsets.US_ASCII));
            d.update((byte) ':');
            d.update(p);
        }
        return "sha256:" + HexFormat.of().formatHex(d.digest());
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String objectKey(String scope, String key) {
        return prefix + scope + "/" + HexFormat.of().formatHex(sha256().digest(key.getBytes(StandardCharsets.UTF_8))) + ".json";
    }

    /**
     * Marks {@code key} as running in this process until the returned handle is closed; a second request with
     * the same key meanwhile is refused rather than raced (both would see no record, or the same pending one).
     */
    public Claim claim(String scope, String key) {
        String id = scope + "\n" + key;
        if (inFlight.putIfAbsent(id, Boolean.TRUE) != null) {
            throw new Conflict("a request with this " + HEADER + " is still being processed; retry shortly",
                    Map.of("code", IN_FLIGHT));
        }
        return () -> inFlight.remove(id);
    }

    /** A key held by a request in this process. */
    public interface Claim extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * The record of {@code key} within the window, after checking it was made for the same request: a record of
     * another request is a 409 {@value #KEY_REUSED}. Empty if there is none (or it expired).
     */
    public Optional<IdempotencyRecord> find(String scope, String key, String requestHash) {
        Optional<IdempotencyRecord> r = peek(scope, key);
        r.ifPresent(found -> requireSameRequest(found, requestHash));
        return r;
    }

    /** Throws 409 {@value #KEY_REUSED} unless {@code r} was made for the request of {@code requestHash}. */
    public static void requireSameRequest(IdempotencyRecord r, String requestHash) {
        if (!r.requestHash().equals(requestHash)) {
            throw new Conflict(HEADER + " '" + r.key() + "' was already used for a different request",
                    Map.of("code", KEY_REUSED));
        }
    }

    /** The record of {@code key} within the window, whatever request it was made for (the caller checks). */
    public Optional<IdempotencyRecord> peek(String scope, String key) {
        Optional<byte[]> raw = storage.get(objectKey(scope, key));
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        IdempotencyRecord r;
        try {
            r = Json.TOLERANT.readValue(raw.get(), IdempotencyRecord.class);
        } catch (IOException e) {
            throw new BadGateway("idempotency record of this key is unreadable: " + e.getMessage(), e);
        }
        if (r.formatVersion() < 1 || r.formatVersion() > IdempotencyRecord.FORMAT_VERSION) {
            throw new Conflict("this " + HEADER + " was recorded by a newer version (format " + r.formatVersion() + ")",
                    Map.of("code", "idempotency_record_unreadable"));
        }
        if (r.createdAt() == null || r.createdAt().plus(window).isBefore(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(r);
    }

    /** Writes a DONE record for work that needed no PENDING one (its retry is naturally idempotent). */
    public void done(String scope, String key, String requestHash, int status, Object body) {
        IdempotencyRecord r = new IdempotencyRecord(IdempotencyRecord.FORMAT_VERSION, scope, key, requestHash,
                IdempotencyRecord.State.DONE, clock.instant(), status, Json.MAPPER.valueToTree(body), Map.of());
        storage.put(objectKey(scope, key), Json.bytes(r));
    }

    /** Writes the PENDING record (before the work) and returns it. */
    public IdempotencyRecord pending(String scope, String key, String requestHash, Map<String, String> plan) {
        IdempotencyRecord r = new IdempotencyRecord(IdempotencyRecord.FORMAT_VERSION, scope, key, requestHash,
                IdempotencyRecord.State.PENDING, clock.instant(), null, null, plan);
        storage.put(objectKey(scope, key), Json.bytes(r));
        return r;
    }

    /** Writes the DONE record with the answer to replay. */
    public void done(IdempotencyRecord pending, int status, Object body) {
        if (pending == null) {
            return;
        }
        JsonNode node = Json.MAPPER.valueToTree(body);
        storage.put(objectKey(pending.scope(), pending.key()), Json.bytes(pending.done(status, node)));
    }

    /** Forgets {@code key} (the work failed in a way a retry should redo). */
    public void forget(String scope, String key) {
        storage.delete(objectKey(scope, key));
    }

    /** Deletes records older than the window; returns how many. */
    public int sweep() {
        Instant cutoff = clock.instant().minus(window);
        int n = 0;
        for (RecordStorage.Stored s : storage.list(prefix)) {
            if (s.lastModified() != null && s.lastModified().isBefore(cutoff)) {
                storage.delete(s.key());
                n++;
            }
        }
        return n;
    }

    /** Sweeps expired records in the background, 24 times per window (hourly for 24 h). */
    public void startSweeping() {
        long every = Math.max(60_000, window.toMillis() / 24);
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                int n = sweep();
                if (n > 0) {
                    log.info("removed {} expired idempotency record(s) under {}", n, prefix);
                }
            } catch (RuntimeException e) {
                log.debug("idempotency sweep skipped: {}", e.toString()); // storage down: next round
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
