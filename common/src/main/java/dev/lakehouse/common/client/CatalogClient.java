package dev.lakehouse.common.client;

import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.model.DatasetList;
import dev.lakehouse.common.model.DatasetSummary;
import dev.lakehouse.common.model.Manifest;
import dev.lakehouse.common.model.RegisterRequest;
import dev.lakehouse.common.model.Registration;
import dev.lakehouse.common.error.BadGateway;
import dev.lakehouse.common.error.NotFound;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
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
        Request r = new Request.Builder()
                .url(url(datasetPath(dataset) + "/manifests").build())
                .post(json(request))
                .build();
        try (Response response = execute(r)) {
            Manifest m = Json.MAPPER.readValue(response.body().byteStream(), Manifest.class);
            return new Registration(m, response.code() == 201);
        } catch (IOException e) {
            throw new BadGateway("catalogd sent an unreadable manifest: " + e.getMessage(), e);
        }
    }

    public Optional<Manifest> latest(String dataset) {
        try {
            return Optional.of(call(new Request.Builder().url(url(datasetPath(dataset)).build()).get().build(), Manifest.class));
        } catch (NotFound e) {
            return Optional.empty();
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
