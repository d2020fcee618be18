package dev.lakehouse.catalogd.erasure;

import dev.lakehouse.common.model.FileEntry;
import dev.lakehouse.common.model.Manifest;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/** What an erasure needs of the catalog: its dataset lock, every kept version, and the one sanctioned rewrite. */
public interface ErasableCatalog {
    boolean ready();

    /** Runs {@code work} holding {@code dataset}'s write lock: no version is registered meanwhile. */
    <T> T locked(String dataset, Supplier<T> work);

    /** The latest version, 0 if the dataset does not exist (or no longer). */
    int latestVersion(String dataset);

    Manifest version(String dataset, int version);

    /**
     * Rewrites version {@code version} so it points at the replacements of the files it lists (verified against the
     * objects first), stamped {@code erasedAt}/{@code erasureId}. A version listing none of the keys is untouched;
     * returns whether it was rewritten. Caller holds the dataset's lock.
     */
    boolean replaceFiles(String dataset, int version, Map<String, FileEntry> replacements, String erasureId, Instant erasedAt);
}
