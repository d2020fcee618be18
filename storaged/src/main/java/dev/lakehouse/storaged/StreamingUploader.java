package dev.lakehouse.storaged;

import dev.lakehouse.common.model.PutResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Streams one body into S3 in bounded memory. A body that fits in one part goes up as a single PutObject;
 * a larger one as a multipart upload whose parts are read from the client while earlier parts are still
 * uploading ({@code partsInFlight} at a time), so memory stays at {@code (partsInFlight + 1) × partSize}
 * whatever the object's size. On any failure (cap exceeded, client gone, S3 error) the multipart upload
 * is aborted: nothing half-written stays in the bucket.
 */
final class StreamingUploader {
    private static final Logger log = LoggerFactory.getLogger(StreamingUploader.class);
    private static final int FIRST_CHUNK = 64 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final int partSize;
    private final int partsInFlight;
    private final Executor executor;

    StreamingUploader(S3Client s3, String bucket, int partSize, int partsInFlight, Executor executor) {
        if (partSize < (5 << 20)) {
            throw new IllegalArgumentException("storaged.part_size_bytes must be >= 5 MiB (S3 minimum), got " + partSize);
        }
        if (partsInFlight < 1) {
            throw new IllegalArgumentException("storaged.parts_in_flight must be >= 1");
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.partSize = partSize;
        this.partsInFlight = partsInFlight;
        this.executor = executor;
    }

    /**
     * Uploads everything {@code in} yields to {@code key}. {@code declaredLength} (or -1) only sizes the
     * first buffer; the stream itself enforces caps.
     */
    PutResult upload(String key, InputStream in, long declaredLength, String contentType) throws IOException {
        byte[] first = declaredLength >= 0 && declaredLength < partSize
                ? new byte[(int) declaredLength + 1] // +1 sees EOF without growing
                : new byte[declaredLength < 0 ? FIRST_CHUNK : partSize];
        int n = 0;
        while (true) {
            int r = in.read(first, n, first.length - n);
            if (r < 0) {
                return putSingle(key, first, n, contentType);
            }
            n += r;
            if (n == first.length) {
                if (n >= partSize) {
                    break;
                }
                first = Arrays.copyOf(first, Math.min(partSize, first.length * 2));
            }
        }
        return multipart(key, in, first, contentType);
    }

    private PutResult putSingle(String key, byte[] buf, int n, String contentType) {
        PutObjectResponse r = s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).contentLength((long) n),
                body(buf, n));
        return new PutResult(key, n, ObjectStore.unquote(r.eTag()));
    }

    private PutResult multipart(String key, InputStream in, byte[] firstPart, String contentType) throws IOException {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType)).uploadId();
        BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(partsInFlight + 1);
        List<CompletableFuture<CompletedPart>> parts = new ArrayList<>();
        int allocated = 1;
        long total = 0;
        boolean done = false;
        try {
            byte[] buf = firstPart;
            int n = partSize;
            int partNumber = 1;
            while (true) {
                parts.add(uploadPart(key, uploadId, partNumber++, buf, n, free));
                total += n;
                if (n < partSize) {
                    break; // that was the last, short part
                }
                // the next buffer: a returned one, a new one while under the bound, else wait for a part to finish
                buf = free.poll();
                if (buf == null && allocated < partsInFlight + 1) {
                    buf = new byte[partSize];
                    allocated++;
                } else if (buf == null) {
                    buf = takeInterruptibly(free);
                }
                failFast(parts);
                n = readFully(in, buf);
                if (n == 0) {
                    free.offer(buf);
                    break;
                }
            }
            List<CompletedPart> completed = new ArrayList<>(parts.size());
            for (CompletableFuture<CompletedPart> f : parts) {
                completed.add(join(f));
            }
            CompleteMultipartUploadResponse r = s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(completed).build()));
            done = true;
            return new PutResult(key, total, ObjectStore.unquote(r.eTag()));
        } finally {
            if (!done) {
                abort(key, uploadId, parts);
            }
        }
    }

    private CompletableFuture<CompletedPart> uploadPart(String key, String uploadId, int partNumber, byte[] buf, int n,
                                                        BlockingQueue<byte[]> free) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                        .partNumber(partNumber).contentLength((long) n), body(buf, n)).eTag();
                return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
            } finally {
                free.offer(buf);
            }
        }, executor);
    }

    /** Waits out parts still in flight (they hold buffers and S3 connections), then aborts the upload. */
    private void abort(String key, String uploadId, List<CompletableFuture<CompletedPart>> parts) {
        for (CompletableFuture<CompletedPart> f : parts) {
            try {
                f.join();
            } catch (RuntimeException ignored) {
                // the failure that matters is already propagating
            }
        }
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            log.info("aborted multipart upload of {} ({} parts sent)", key, parts.size());
        } catch (RuntimeException e) {
            log.error("could not abort multipart upload {} of {}; a bucket lifecycle rule must clean it", uploadId, key, e);
        }
    }

    private static void failFast(List<CompletableFuture<CompletedPart>> parts) {
        for (CompletableFuture<CompletedPart> f : parts) {
            if (f.isCompletedExceptionally()) {
                join(f);
            }
        }
    }

    private static CompletedPart join(CompletableFuture<CompletedPart> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while uploading", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static byte[] takeInterruptibly(BlockingQueue<byte[]> free) {
        try {
            return free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while uploading", e);
        }
    }

    private static int readFully(InputStream in, byte[] buf) throws IOException {
        int n = 0;
        while (n < buf.length) {
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    private static RequestBody body(byte[] buf, int n) {
        // a provider (not fromBytes) so the SDK neither copies the part nor loses it on a retry
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buf, 0, n), n, "application/octet-stream");
    }
}
