package dev.lakehouse.queryd.views;

import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.error.BadGateway;
import dev.lakehouse.common.error.Conflict;
import dev.lakehouse.common.model.FileEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Local copies of registered Parquet files, fetched once through the S3 API and keyed by key + ETag (so a
 * changed object can never be served under an old name). Bounded in bytes with LRU eviction; a query
 * {@linkplain #acquire pins} its files with a {@link Lease} and a pinned file is never evicted, so running
 * queries keep reading what they started with. When every file is pinned the cache may exceed its bound until
 * leases close; concurrent requests for the same file share one download.
 */
public final class ParquetCache {
    private static final Logger log = LoggerFactory.getLogger(ParquetCache.class);
    private static final String SUFFIX = ".parquet";

    private final Path dir;
    private final long maxBytes;
    private final S3Client s3;
    private final String bucket;
    /** Access-ordered: iteration starts at the least recently used entry. Guarded by {@code this}. */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private final AtomicLong downloads = new AtomicLong();
    private final AtomicLong downloadedBytes = new AtomicLong();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();

    private static final class Entry {
        final String name;
        final CompletableFuture<Long> ready = new CompletableFuture<>();
        long size;
        int pins;
        /** The datasets whose manifests list this file; when the last is deleted the file goes ({@link #evictDataset}). */
        final Set<String> owners = new HashSet<>();
        /** Deleted while pinned: removed when the last pin goes. */
        boolean doomed;

        Entry(String name) {
            this.name = name;
        }
    }

    public ParquetCache(Path dir, long maxBytes, S3Client s3, String bucket) {
        this.dir = dir.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
        this.s3 = s3;
        this.bucket = bucket;
        try {
            Files.createDirectories(this.dir);
            adoptExisting();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use cache dir " + this.dir, e);
        }
    }

    /** Files of a previous run are still valid (their names are content keys): adopt them, oldest first. */
    private void adoptExisting() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.toList();
        }
        List<Path> kept = new ArrayList<>();
        for (Path p : files) {
            String n = p.getFileName().toString();
            if (n.endsWith(SUFFIX) && n.length() == 64 + SUFFIX.length()) {
                kept.add(p);
            } else {
                Files.deleteIfExists(p); // partial downloads of a killed run
            }
        }
        kept.sort((a, b) -> {
            try {
                return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b));
            } catch (IOException e) {
                return 0;
            }
        });
        synchronized (this) {
            for (Path p : kept) {
                String n = p.getFileName().toString();
                Entry e = new Entry(n);
                e.size = Files.size(p);
                e.ready.complete(e.size);
                entries.put(n, e);
                bytes += e.size;
            }
            evictUnpinned();
        }
        if (!kept.isEmpty()) {
            log.info("parquet cache adopted {} files ({} bytes) from {}", entries.size(), bytes, dir);
        }
    }

    /** Local paths of {@code files} of {@code dataset}, in order, pinned until the lease closes. Downloads what is missing. */
    public Lease acquire(String dataset, List<FileEntry> files) {
        Lease lease = new Lease();
        try {
            for (FileEntry f : files) {
                Entry e = pin(f);
                lease.add(e);
                synchronized (this) {
                    e.owners.add(dataset);
                }
            }
            return lease;
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    private Entry pin(FileEntry f) {
        String name = nameOf(f);
        Entry e;
        boolean mine = false;
        synchronized (this) {
            e = entries.get(name);
            if (e == null) {
                e = new Entry(name);
                entries.put(name, e);
                mine = true;
            }
            e.pins++;
        }
        if (mine) {
            download(f, e);
        } else {
            hits.incrementAndGet();
        }
        try {
            e.ready.get();
            return e;
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            unpin(e);
            throw new IllegalStateException("interrupted waiting for " + f.key(), ie);
        } catch (ExecutionException ee) {
            unpin(e);
            Throwable c = ee.getCause();
            throw c instanceof RuntimeException re ? re : new IllegalStateException(c);
        }
    }

    private void download(FileEntry f, Entry e) {
        Path tmp = dir.resolve(e.name + "." + UUID.randomUUID() + ".part");
        try {
            GetObjectRequest.Builder req = GetObjectRequest.builder().bucket(bucket).key(f.key());
            if (f.etag() != null && !f.etag().isBlank()) {
                req.ifMatch(quoted(f.etag()));
            }
            s3.getObject(req.build(), tmp);
            long size = Files.size(tmp);
            Files.move(tmp, dir.resolve(e.name), StandardCopyOption.ATOMIC_MOVE);
            downloads.incrementAndGet();
            downloadedBytes.addAndGet(size);
            synchronized (this) {
                e.size = size;
                bytes += size;
                evictUnpinned();
            }
            e.ready.complete(size);
        } catch (RuntimeException | IOException ex) {
            deleteQuietly(tmp);
            synchronized (this) {
                entries.remove(e.name, e);
            }
            RuntimeException mapped = mapFailure(f, ex);
            e.ready.completeExceptionally(mapped);
        }
    }

    private static RuntimeException mapFailure(FileEntry f, Exception ex) {
        if (ex instanceof S3Exception s3e && s3e.statusCode() == 412) {
            return new Conflict("data file " + f.key() + " changed since it was registered (ETag " + f.etag() + ")",
                    Map.of("code", ErrorCodes.OBJECT_CHANGED, "key", f.key()));
        }
        if (ex instanceof S3Exception s3e && s3e.statusCode() == 404) {
            return new BadGateway("data file " + f.key() + " is registered but missing from storage");
        }
        if (ex instanceof SdkException || ex instanceof IOException) {
            return new BadGateway("cannot fetch " + f.key() + " from storage: " + ex.getMessage(), ex);
        }
        return (RuntimeException) ex;
    }

    private synchronized void unpin(Entry e) {
        e.pins--;
        dropIfDoomed(e);
        evictUnpinned();
    }

    /**
     * Forgets {@code dataset}: each cached file no other dataset lists is deleted at once, or, while a running query
     * still reads it, as soon as that query ends. Called when the catalog says the dataset is gone.
     */
    public synchronized void evictDataset(String dataset) {
        for (Entry e : List.copyOf(entries.values())) {
            if (e.owners.remove(dataset) && e.owners.isEmpty()) {
                e.doomed = true;
                dropIfDoomed(e);
            }
        }
    }

    /** The datasets the cached files belong to (those seen since start; adopted files have none yet). */
    public synchronized Set<String> datasets() {
        Set<String> all = new HashSet<>();
        entries.values().forEach(e -> all.addAll(e.owners));
        return all;
    }

    private void dropIfDoomed(Entry e) {
        if (e.doomed && e.pins == 0 && e.ready.isDone() && entries.remove(e.name, e)) {
            bytes -= e.size;
            evictions.incrementAndGet();
            deleteQuietly(dir.resolve(e.name));
        }
    }

    /** Drops least recently used, unpinned, complete files until the cache fits its bound. */
    private void evictUnpinned() {
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            Entry e = it.next().getValue();
            if (e.pins > 0 || !e.ready.isDone()) {
                continue;
            }
            it.remove();
            bytes -= e.size;
            evictions.incrementAndGet();
            deleteQuietly(dir.resolve(e.name));
        }
    }

    static String nameOf(FileEntry f) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(f.key().getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(unquoted(f.etag() == null ? "" : f.etag()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest()) + SUFFIX;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String unquoted(String etag) {
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }

    private static String quoted(String etag) {
        return "\"" + unquoted(etag) + "\"";
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", p, e.getMessage());
        }
    }

    public Path dir() {
        return dir;
    }

    /** Figures for /health. */
    public synchronized Map<String, Object> stats() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("files", entries.size());
        m.put("bytes", bytes);
        m.put("max_bytes", maxBytes);
        m.put("pinned", entries.values().stream().filter(e -> e.pins > 0).count());
        m.put("downloads", downloads.get());
        m.put("downloaded_bytes", downloadedBytes.get());
        m.put("hits", hits.get());
        m.put("evictions", evictions.get());
        return m;
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized boolean contains(FileEntry f) {
        return entries.containsKey(nameOf(f));
    }

    /** The files a query reads, pinned in the cache until closed. */
    public final class Lease implements AutoCloseable {
        private final List<Entry> pinned = new ArrayList<>();
        private boolean closed;

        private void add(Entry e) {
            pinned.add(e);
        }

        public List<Path> paths() {
            return pinned.stream().map(e -> dir.resolve(e.name)).toList();
        }

        @Override
        public void close() {
            synchronized (ParquetCache.this) {
                if (closed) {
                    return;
                }
                closed = true;
                pinned.forEach(e -> {
                    e.pins--;
                    dropIfDoomed(e);
                });
                evictUnpinned();
            }
        }
    }
}
