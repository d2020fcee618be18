package dev.lakehouse.storaged;

import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.error.ApiException;
import dev.lakehouse.common.error.BadGateway;
import dev.lakehouse.common.error.NotFound;
import dev.lakehouse.common.model.ObjectInfo;
import dev.lakehouse.common.model.ObjectList;
import dev.lakehouse.common.model.PutResult;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** storaged's view of the bucket: object I/O over the AWS SDK, with S3 failures turned into the fleet's errors. */
final class ObjectStore {
    private final S3Client s3;
    private final String bucket;
    private final StreamingUploader uploader;

    ObjectStore(S3Client s3, String bucket, StreamingUploader uploader) {
        this.s3 = s3;
        this.bucket = bucket;
        this.uploader = uploader;
    }

    /**
     * Uploads, then reads the object's size and ETag back from S3: a 201 reports what S3 holds, never what the
     * request carried (a store that silently kept fewer bytes answered 201 with the request's size).
     */
    PutResult put(String key, InputStream body, long declaredLength, String contentType) throws IOException {
        PutResult sent;
        try {
            sent = uploader.upload(key, body, declaredLength, contentType);
        } catch (SdkException e) {
            throw translate(key, e);
        }
        HeadObjectResponse stored = head(key);
        long size = stored.contentLength() == null ? -1 : stored.contentLength();
        if (size != sent.size()) {
            throw new BadGateway("S3 holds " + size + " bytes for '" + key + "' after a PUT of " + sent.size(),
                    Map.of("code", "stored_size_mismatch", "key", key, "sent", sent.size(), "stored", size));
        }
        return new PutResult(key, size, unquote(stored.eTag()));
    }

    /** The object's bytes, or a byte range of them ({@code range} is an HTTP Range value, passed to S3 as is). */
    ResponseInputStream<GetObjectResponse> get(String key, String range) {
        return s3Call(key, () -> s3.getObject(b -> b.bucket(bucket).key(key).range(range)));
    }

    HeadObjectResponse head(String key) {
        return s3Call(key, () -> s3.headObject(b -> b.bucket(bucket).key(key)));
    }

    /** Idempotent: S3 answers a delete of an absent key with success too. */
    void delete(String key) {
        s3Call(key, () -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
    }

    ObjectList list(String prefix, int limit, String cursor) {
        String token = ListCursor.decode(prefix, cursor);
        ListObjectsV2Response r = s3Call(prefix, () -> s3.listObjectsV2(b -> b.bucket(bucket)
                .prefix(prefix.isEmpty() ? null : prefix).maxKeys(limit).continuationToken(token)));
        return new ObjectList(
                r.contents().stream().map(o -> new ObjectInfo(o.key(), o.size(), unquote(o.eTag()), o.lastModified())).toList(),
                Boolean.TRUE.equals(r.isTruncated()) ? ListCursor.encode(prefix, r.nextContinuationToken()) : null);
    }

    static String unquote(String etag) {
        if (etag == null) {
            return null;
        }
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }

    private static <T> T s3Call(String key, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw translate(key, e);
        }
    }

    static ApiException translate(String key, SdkException sdk) {
        for (Throwable t = sdk.getCause(); t != null; t = t.getCause()) {
            if (t instanceof ApiException api) {
                return api; // raised while the SDK read the client's body (e.g. 408, too slow): the client's fault, not S3's
            }
        }
        if (sdk instanceof NoSuchKeyException) {
            return new NotFound("no object '" + key + "'", Map.of("code", ErrorCodes.OBJECT_NOT_FOUND, "key", key));
        }
        if (sdk instanceof S3Exception e) {
            return switch (e.statusCode()) {
                case 404 -> new NotFound("no object '" + key + "'", Map.of("code", ErrorCodes.OBJECT_NOT_FOUND, "key", key));
                case 416 -> new ApiException(416, "range not satisfiable for '" + key + "'", Map.of("key", key), e);
                case 400 -> e.awsErrorDetails() != null && "InvalidArgument".equals(e.awsErrorDetails().errorCode())
                        ? new dev.lakehouse.common.error.BadRequest("S3 rejected the request: " + e.awsErrorDetails().errorMessage())
                        : new BadGateway("S3 answered 400 for '" + key + "': " + e.getMessage(), Map.of("key", key));
                default -> new BadGateway("S3 answered " + e.statusCode() + " for '" + key + "': "
                        + (e.awsErrorDetails() != null ? e.awsErrorDetails().errorMessage() : e.getMessage()), Map.of("key", key));
            };
        }
        return new BadGateway("S3 unreachable: " + sdk.getMessage(), Map.of("key", key));
    }
}
