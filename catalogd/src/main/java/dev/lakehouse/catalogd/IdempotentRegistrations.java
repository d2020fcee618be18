package dev.lakehouse.catalogd;

import dev.lakehouse.common.concurrent.Daemons;
import dev.lakehouse.common.concurrent.Futures;
import dev.lakehouse.common.idempotency.IdempotencyRecord;
import dev.lakehouse.common.idempotency.IdempotencyStore;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.model.Manifest;
import dev.lakehouse.common.model.RegisterRequest;
import dev.lakehouse.common.model.Registration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Registrations carrying an {@code Idempotency-Key}: the same key with the same request answers the original
 * registration (same version, 201 again) without writing; with another request, 409 {@code idempotency_key_reused}.
 * A DONE record is written after the manifest; if catalogd dies in between, the retry finds no record, and
 * {@link Catalog#register}'s own rule (content equal to the latest returns it) gives the same version.
 */
final class IdempotentRegistrations {
    static final String SCOPE = "register";

    private final Catalog catalog;
    private final IdempotencyStore store;

    // one lookup per registration in flight, each a single GET; the registration waits for it
    private final ExecutorService lookups = Executors.newCachedThreadPool(Daemons.threads("catalogd-idempotency-lookup"));

    IdempotentRegistrations(Catalog catalog, IdempotencyStore store) {
        this.catalog = catalog;
        this.store = store;
    }

    /** The registration, and whether it replays an earlier request's answer. */
    record Answer(Registration registration, boolean replayed) {}

    Answer register(String dataset, RegisterRequest request, String key) throws IOException {
        catalog.requireReady();
        String hash = IdempotencyStore.hash(dataset.getBytes(StandardCharsets.UTF_8), Json.bytes(request));
        try (IdempotencyStore.Claim claim = store.claim(SCOPE, key)) {
            // the record's GET runs beside the verification's reads (both are round trips to storaged on the
            // ingest's critical path, ADR 0047); a replay still answers whatever the verification found
            Future<Optional<IdempotencyRecord>> lookup = lookups.submit(() -> store.find(SCOPE, key, hash));
            ManifestContent content;
            try {
                content = catalog.verified(dataset, request);
            } catch (RuntimeException e) {
                Optional<Answer> replay = replay(Futures.await(lookup, "reading an idempotency record"));
                if (replay.isPresent()) {
                    return replay.get();
                }
                throw e;
            }
            Optional<Answer> replay = replay(Futures.await(lookup, "reading an idempotency record"));
            if (replay.isPresent()) {
                return replay.get();
            }
            Registration reg = catalog.register(dataset, content, request.expectedVersion());
            store.done(SCOPE, key, hash, reg.created() ? 201 : 200, reg.manifest());
            return new Answer(reg, false);
        }
    }

    private static Optional<Answer> replay(Optional<IdempotencyRecord> done) throws IOException {
        if (done.isPresent() && done.get().state() == IdempotencyRecord.State.DONE) {
            Manifest m = Json.MAPPER.treeToValue(done.get().body(), Manifest.class);
            return Optional.of(new Answer(new Registration(m, done.get().status() == 201), true));
        }
        return Optional.empty();
    }
}
