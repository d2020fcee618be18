package dev.lakehouse.catalogd.erasure;

import dev.lakehouse.common.model.FileEntry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One erasure as stored at {@code _erasure/intents/{id}.json} (record format {@code erasure_intent} 1.0): what was
 * asked and how far it got, so a catalogd killed at any point resumes it. The predicates and item ids are what it
 * erases by, so they are dropped from the record (only their SHA-256 stays) once the erasure is complete.
 */
public final class ErasureIntent {
    public static final String IN_PROGRESS = "in_progress";
    public static final String COMPLETE = "complete";
    /** A predicate the engine refused once work had begun (a dry run or the start check catches most first). */
    public static final String FAILED = "failed";

    public String id;
    public String subject;
    public String requestedBy;
    public Instant requestedAt;
    public String state;
    public Instant completedAt;
    public String error;
    public Map<String, DatasetPart> datasets = new LinkedHashMap<>();
    public Map<String, IndexPart> vectors = new LinkedHashMap<>();

    /** One dataset's share: its predicate, the files rewritten so far (old key → new file), rows removed. */
    public static final class DatasetPart {
        public String predicate;
        public String predicateSha256;
        public Map<String, FileEntry> replacements = new LinkedHashMap<>();
        public long rowsRemoved;
        public int versionsRewritten;
        /** Old files not deleted: registered from outside {@code datasets/{name}/}, so maybe another dataset's. */
        public List<String> notDeleted = new java.util.ArrayList<>();
        public boolean done;
    }

    /**
     * One vector index's share: the item ids or (since 1.1) the metadata filter, and how many were there to remove.
     * A 1.0 reader ignores {@code filter}, finds no ids, and its vectord step is refused (400): the erasure fails
     * visibly instead of erasing the wrong items.
     */
    public static final class IndexPart {
        public List<String> ids;
        public com.fasterxml.jackson.databind.JsonNode filter;
        public String idsSha256;
        public String filterSha256;
        public int idCount;
        public int removed;
        public boolean done;
    }
}
