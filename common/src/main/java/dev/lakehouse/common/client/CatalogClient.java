package dev.lakehouse.common.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.model.DatasetList;
import dev.lakehouse.common.model.DatasetSummary;
import dev.lakehouse.common.model.Manifest;
import dev.lakehouse.common.model.RegisterRequest;
import dev.lakehouse.common.model.Registration;
import dev.lakehouse.common.error.BadGateway;
import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.error.NotFound;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** Typed client of catalogd. */
public final class CatalogClient extends ServiceClient {
    public CatalogClient(String baseUrl, FleetCredential credential) {
        this(baseUrl, HttpClients.shared(), credential);
    }

    public CatalogClient(String baseUrl, OkHttpClient http, FleetCredential credential) {
        super("catalogd", baseUrl, http, credential);
    }

    private static String datasetPath(String name) {
        return "datasets/" + name;
    }

    /** Registers the next version; an identical registration returns the existing manifest with {@code created=false}. */
    public Registration register(String dataset, RegisterRequest request) {
        return register(dataset, request, null);
    }

    /**
     * As {@link #register(String, RegisterRequest)} with an {@code Idempotency-Key}: a retry of this call (OkHttp
     * retries a request whose connection failed) or a caller's retry with the same key answers the original
     * outcome instead of writing again. A null key sends none.
     */
    public Registration register(String dataset, RegisterRequest request, String idempotencyKey) {
        Request.Builder b = new Request.Builder()
                .url(url(datasetPath(dataset) + "/manifests").build())
                .post(json(request));
        if (idempotencyKey != null) {
            b.header(IDEMPOTENCY_KEY, idempotencyKey);
        }
        Request r = b.build();
        try (Response response = execute(r)) {
            Manifest m = Json.TOLERANT.readValue(response.body().byteStream(), Manifest.class);
            return new Registration(m, response.code() == 201);
        } catch (IOException e) {
            throw new BadGateway("catalogd sent an unreadable manifest: " + e.getMessage(), e);
        }
    }

    /**
     * Whether some version the catalog keeps references the file {@code key}: the first such version, or
     * empty only on catalogd's positive "no" (a 404 with code {@code file_not_referenced}). Any other answer,
     * including a bare 404, throws: the caller must not take it for "not referenced".
     */
    public OptionalInt firstVersionReferencing(String dataset, String key) {
        Request r = new Request.Builder()
                .url(url(datasetPath(dataset) + "/files").addQueryParameter("key", key).build()).get().build();
        try {
            return OptionalInt.of(call(r, FileReference.class).firstVersion());
        } catch (NotFound e) {
            if (e.is(FILE_NOT_REFERENCED)) {
                return OptionalInt.empty();
            }
            throw e;
        }
    }

    /** catalogd's error code for a file no kept version references. */
    public static final String FILE_NOT_REFERENCED = "file_not_referenced";

    /** Body of a positive file lookup. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record FileReference(String dataset, String key, boolean referenced, int firstVersion) {}

    /**
     * The latest manifest, or empty when catalogd itself says the dataset does not exist ({@code dataset_not_found}).
     * Any other 404 (a misrouted {@code catalogd.url}, an older or foreign server) is not taken as "absent".
     */
    public Optional<Manifest> latest(String dataset) {
        try {
            return Optional.of(call(new Request.Builder().url(url(datasetPath(dataset)).build()).get().build(), Manifest.class));
        } catch (NotFound e) {
            if (e.is(ErrorCodes.DATASET_NOT_FOUND)) {
                return Optional.empty();
            }
            throw new BadGateway("catalogd at " + base + " answered 404 without saying the dataset is unknown (code "
                    + e.code() + "): is catalogd.url right?", e);
        }
    }

    public Manifest version(String dataset, int version) {
        return call(new Request.Builder()
                .url(url(datasetPath(dataset) + "/versions/" + version).build()).get().build(), Manifest.class);
    }

    public List<DatasetSummary> list() {
        return call(new Request.Builder().url(url("datasets").build()).get().build(), DatasetList.class).datasets();
    }

    public void delete(String dataset) {
        execute(new Request.Builder().url(url(datasetPath(dataset)).build()).delete().build()).close();
    }
}
