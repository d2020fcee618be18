package dev.lakehouse.devs3;

import dev.lakehouse.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectAclRequest;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The filesystem backend behind {@link FileKeys}: every key is encoded on the way in and decoded on the way
 * out, and a stored name that decodes to no key (a temp file of a PUT in flight or cut short by a kill, the
 * backend's bookkeeping) is never listed. Temp files left by a killed server are removed at start.
 */
final class EncodedKeysBlobStore extends ForwardingBlobStore {
    private static final Logger log = LoggerFactory.getLogger(EncodedKeysBlobStore.class);
    /** s3proxy's own multipart stubs are keyed by upload id alone; they stay raw (and hidden, since not encoded). */
    private static final String HANDLER_STUB_PREFIX = ".s3proxy-mpu-stub-";
    /** The layout record in each bucket directory; not encoded, so never listed. */
    static final String LAYOUT_FILE = ".devs3-layout.json";
    static final int LAYOUT_VERSION = 1;
    private static final Pattern TEMP = Pattern.compile(".*" + FileKeys.END
            + "-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** The versioned record of which key spelling a bucket directory uses. */
    record Layout(int formatVersion, String keyEncoding) {}

    EncodedKeysBlobStore(BlobStore delegate) {
        super(delegate);
    }

    /**
     * Readies {@code bucketDir} for this encoding: removes temp files of PUTs a kill cut short and, in a bucket
     * written before the encoding (no layout record), moves each object to its encoded name.
     */
    static void prepare(Path bucketDir) throws IOException {
        Path layoutFile = bucketDir.resolve(LAYOUT_FILE);
        boolean legacy = !Files.exists(layoutFile);
        if (!legacy) {
            Layout layout = Json.TOLERANT.readValue(layoutFile.toFile(), Layout.class);
            if (layout.formatVersion() < 1 || layout.formatVersion() > LAYOUT_VERSION) {
                throw new IllegalStateException(bucketDir + " uses key layout v" + layout.formatVersion()
                        + "; this devs3 reads v1–v" + LAYOUT_VERSION);
            }
        }
        int temps = 0;
        int moved = 0;
        List<Path> files;
        try (Stream<Path> walk = Files.walk(bucketDir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            String name = bucketDir.relativize(f).toString();
            if (legacy && name.startsWith(".mpus-")) {
                Files.deleteIfExists(f); // an upload begun under raw names could never be completed or aborted now
                continue;
            }
            if (name.equals(LAYOUT_FILE) || name.startsWith(".mpus-") || name.startsWith(".s3proxy")) {
                continue;
            }
            if (TEMP.matcher(name).matches()) {
                Files.deleteIfExists(f);
                temps++;
            } else if (legacy && FileKeys.decode(name) == null) {
                Path to = bucketDir.resolve(FileKeys.encode(name));
                Files.createDirectories(to.getParent());
                Files.move(f, to); // a rename: the object's xattrs (ETag, type) go with it
                moved++;
            }
        }
        if (legacy) {
            Files.write(layoutFile, Json.bytes(new Layout(LAYOUT_VERSION, "tilde-segments")));
        }
        if (temps + moved > 0) {
            log.info("devs3 {}: removed {} temp file(s) of interrupted PUTs, re-spelled {} object(s)", bucketDir, temps, moved);
        }
    }

    private static String enc(String key) {
        return key == null || key.startsWith(HANDLER_STUB_PREFIX) ? key : FileKeys.encode(key);
    }

    private static MultipartUpload enc(MultipartUpload mpu) {
        return new MultipartUpload(mpu.id(), mpu.request().toBuilder().key(enc(mpu.blobName())).build(), mpu.response());
    }

    private static String decPrefix(String storedPrefix) {
        if (storedPrefix == null || !storedPrefix.endsWith("/")) {
            return null;
        }
        String p = FileKeys.decodePrefix(storedPrefix.substring(0, storedPrefix.length() - 1));
        return p == null ? null : p + "/";
    }

    private static List<S3Object> decoded(List<S3Object> objects) {
        return objects.stream()
                .map(o -> {
                    String key = FileKeys.decode(o.key());
                    return key == null ? null : o.toBuilder().key(key).build();
                })
                .filter(Objects::nonNull).toList();
    }

    private static List<CommonPrefix> decodedPrefixes(List<CommonPrefix> prefixes) {
        return prefixes.stream().map(p -> decPrefix(p.prefix())).filter(Objects::nonNull)
                .map(p -> CommonPrefix.builder().prefix(p).build()).toList();
    }

    private static String encPrefix(String prefix) {
        return prefix == null || prefix.isEmpty() ? prefix : FileKeys.encodePrefix(prefix);
    }

    @Override
    public ListObjectsV2Response list(ListObjectsV2Request request) {
        ListObjectsV2Response r = delegate().list(request.toBuilder()
                .prefix(encPrefix(request.prefix()))
                .startAfter(request.startAfter() == null ? null : FileKeys.encode(request.startAfter()))
                .build());
        List<S3Object> contents = decoded(r.contents());
        List<CommonPrefix> prefixes = decodedPrefixes(r.commonPrefixes());
        return r.toBuilder().contents(contents).commonPrefixes(prefixes)
                .keyCount(contents.size() + prefixes.size()).build();
    }

    @Override
    public void clearContainer(ListObjectsV2Request request) {
        delegate().clearContainer(request.toBuilder().prefix(encPrefix(request.prefix())).build());
    }

    @Override
    public boolean blobExists(String container, String name) {
        return delegate().blobExists(container, enc(name));
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream payload) {
        return delegate().putBlob(request.toBuilder().key(enc(request.key())).build(), payload);
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        return delegate().copyBlob(request.toBuilder()
                .sourceKey(enc(request.sourceKey())).destinationKey(enc(request.destinationKey())).build());
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
        return delegate().blobMetadata(request.toBuilder().key(enc(request.key())).build());
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        return delegate().getBlob(request.toBuilder().key(enc(request.key())).build());
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        return delegate().removeBlob(request.toBuilder().key(enc(request.key())).build());
    }

    @Override
    public ListObjectVersionsResponse listVersions(ListObjectVersionsRequest request) {
        ListObjectVersionsResponse r = delegate().listVersions(request.toBuilder()
                .prefix(encPrefix(request.prefix()))
                .keyMarker(request.keyMarker() == null ? null : FileKeys.encode(request.keyMarker()))
                .build());
        return r.toBuilder()
                .versions(r.versions().stream().filter(v -> FileKeys.decode(v.key()) != null)
                        .map(v -> v.toBuilder().key(FileKeys.decode(v.key())).build()).toList())
                .deleteMarkers(r.deleteMarkers().stream().filter(v -> FileKeys.decode(v.key()) != null)
                        .map(v -> v.toBuilder().key(FileKeys.decode(v.key())).build()).toList())
                .commonPrefixes(decodedPrefixes(r.commonPrefixes()))
                .build();
    }

    @Override
    public ObjectCannedACL getBlobAccess(String container, String name) {
        return delegate().getBlobAccess(container, enc(name));
    }

    @Override
    public ObjectCannedACL getBlobAccess(String container, String name, String versionId) {
        return delegate().getBlobAccess(container, enc(name), versionId);
    }

    @Override
    public GetObjectAclResponse getBlobAcl(GetObjectAclRequest request) {
        return delegate().getBlobAcl(request.toBuilder().key(enc(request.key())).build());
    }

    @Override
    public void setBlobAccess(String container, String name, ObjectCannedACL access) {
        delegate().setBlobAccess(container, enc(name), access);
    }

    @Override
    public void setBlobAccess(String container, String name, ObjectCannedACL access, String versionId) {
        delegate().setBlobAccess(container, enc(name), access, versionId);
    }

    @Override
    public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
        MultipartUpload mpu = delegate().initiateMultipartUpload(request.toBuilder().key(enc(request.key())).build());
        return new MultipartUpload(mpu.id(), request, mpu.response());
    }

    @Override
    public void abortMultipartUpload(MultipartUpload mpu) {
        delegate().abortMultipartUpload(enc(mpu));
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload mpu,
            CompleteMultipartUploadRequest request) {
        CompleteMultipartUploadResponse r = delegate().completeMultipartUpload(enc(mpu),
                request.toBuilder().key(enc(request.key())).build());
        return r.key() == null ? r : r.toBuilder().key(request.key()).build();
    }

    @Override
    public UploadPartResponse uploadMultipartPart(MultipartUpload mpu, UploadPartRequest request, InputStream is) {
        return delegate().uploadMultipartPart(enc(mpu), request.toBuilder().key(enc(request.key())).build(), is);
    }

    @Override
    public List<Part> listMultipartUpload(MultipartUpload mpu) {
        return delegate().listMultipartUpload(enc(mpu));
    }

    @Override
    public List<software.amazon.awssdk.services.s3.model.MultipartUpload> listMultipartUploads(String container) {
        return delegate().listMultipartUploads(container).stream()
                .filter(u -> FileKeys.decode(u.key()) != null)
                .map(u -> u.toBuilder().key(FileKeys.decode(u.key())).build()).toList();
    }
}
