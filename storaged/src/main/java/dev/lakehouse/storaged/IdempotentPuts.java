package dev.lakehouse.storaged;

import dev.lakehouse.common.idempotency.IdempotencyRecord;
import dev.lakehouse.common.idempotency.IdempotencyStore;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.model.PutResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Object PUTs carrying an {@code Idempotency-Key}. The request is the key and the body's SHA-256, known only once
 * the body has been read: so a retry whose key has a DONE record reads its body through a digest without
 * writing it, and answers the original {@code {key,size,etag}} if the hashes match (409
 * {@code idempotency_key_reused} if not). A first request streams to S3 through the digest as usual and records
 * its answer after. A crash in between leaves no record, and the retry writes the same bytes again: same object,
 * same ETag.
 */
final class IdempotentPuts {
    static final String SCOPE = "put";
    private static final int DRAIN_BUFFER = 64 * 1024;

    private final ObjectStore objects;
    private final IdempotencyStore store;

    IdempotentPuts(ObjectStore objects, IdempotencyStore store) {
        this.objects = objects;
        this.store = store;
    }

    /** The outcome, and whether it replays an earlier request's. */
    record Answer(PutResult result, boolean replayed) {}

    Answer put(String key, String idempotencyKey, InputStream body, long declared, String type) throws IOException {
        try (IdempotencyStore.Claim claim = store.claim(SCOPE, idempotencyKey)) {
            Optional<IdempotencyRecord> prior = store.peek(SCOPE, idempotencyKey);
            MessageDigest digest = IdempotencyStore.sha256();
            DigestInputStream hashed = new DigestInputStream(body, digest);
            if (prior.isPresent() && prior.get().state() == IdempotencyRecord.State.DONE) {
                byte[] buf = new byte[DRAIN_BUFFER];
                while (hashed.read(buf) != -1) {
                    // read only to hash it: the object was written by the first request
                }
                IdempotencyStore.requireSameRequest(prior.get(), requestHash(key, digest));
                return new Answer(Json.MAPPER.treeToValue(prior.get().body(), PutResult.class), true);
            }
            PutResult result = objects.put(key, hashed, declared, type);
            store.done(SCOPE, idempotencyKey, requestHash(key, digest), 201, result);
            return new Answer(result, false);
        }
    }

    private static String requestHash(String key, MessageDigest bodyDigest) {
        return IdempotencyStore.hash(key.getBytes(StandardCharsets.UTF_8), bodyDigest.digest());
    }
}
