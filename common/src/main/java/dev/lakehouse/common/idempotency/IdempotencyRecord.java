package dev.lakehouse.common.idempotency;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/**
 * What a service remembers of one {@code Idempotency-Key}: the hash of the request it came with and, once
 * known, the answer. {@code PENDING} is written before the work starts (with the {@code plan}, e.g. the data
 * file an ingest will write), so a retry after a crash can find out whether the work landed; {@code DONE}
 * carries the status and JSON body to replay. Stored as JSON, born versioned ({@link #FORMAT_VERSION}).
 */
public record IdempotencyRecord(
        int formatVersion,
        String scope,
        String key,
        String requestHash,
        State state,
        Instant createdAt,
        Integer status,
        JsonNode body,
        Map<String, String> plan) {

    public static final int FORMAT_VERSION = 1;

    public enum State { PENDING, DONE }

    public IdempotencyRecord {
        plan = plan == null ? Map.of() : Map.copyOf(plan);
    }

    public IdempotencyRecord done(int status, JsonNode body) {
        return new IdempotencyRecord(FORMAT_VERSION, scope, key, requestHash, State.DONE, createdAt, status, body, plan);
    }
}
