package dev.lakehouse.common.client;

import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.model.EmbedRequest;
import dev.lakehouse.common.model.EmbedResponse;
import dev.lakehouse.common.model.ModelInfo;
import dev.lakehouse.common.routes.Routes;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/** Typed client of embedd (used by vectord for text add/search). */
public final class EmbedClient extends ServiceClient {
    public EmbedClient(String baseUrl, FleetCredential credential) {
        this(baseUrl, HttpClients.shared(), credential);
    }

    public EmbedClient(String baseUrl, OkHttpClient http, FleetCredential credential) {
        super("embedd", baseUrl, http, credential);
    }

    public EmbedResponse embed(List<String> texts) {
        return call(new Request.Builder().url(url(Routes.Embed.BASE).build()).post(json(EmbedRequest.of(texts))).build(),
                EmbedResponse.class);
    }

    public ModelInfo model() {
        return call(new Request.Builder().url(url(Routes.Embed.MODELS).build()).get().build(), ModelInfo.class);
    }
}
