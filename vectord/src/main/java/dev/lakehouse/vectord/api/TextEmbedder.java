package dev.lakehouse.vectord.api;

import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.client.EmbedClient;
import dev.lakehouse.common.error.ApiException;
import dev.lakehouse.common.error.BadGateway;
import dev.lakehouse.common.error.GatewayTimeout;
import dev.lakehouse.common.model.EmbedResponse;
import java.util.List;
import java.util.Map;

/**
 * Turns texts into vectors by calling embedd, in chunks of {@link #CHUNK} texts (embedd caps its batch size).
 * embedd unreachable or failing → 502 that says so; embedd refusing a text (4xx) → 400 passing on its reason.
 */
public final class TextEmbedder {
    static final int CHUNK = 64;

    private final EmbedClient client;
    private final String url;

    public TextEmbedder(String embeddUrl, FleetCredential credential) {
        this.client = new EmbedClient(embeddUrl, credential);
        this.url = embeddUrl;
    }

    /** One vector per text, in order, each of {@code dim} dimensions (400 if embedd's model has another). */
    public List<float[]> embed(List<String> texts, int dim, String index) {
        List<float[]> out = new java.util.ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i += CHUNK) {
            out.addAll(embedChunk(texts.subList(i, Math.min(texts.size(), i + CHUNK)), dim, index));
        }
        return out;
    }

    private List<float[]> embedChunk(List<String> texts, int dim, String index) {
        EmbedResponse r;
        try {
            r = client.embed(texts);
        } catch (BadGateway | GatewayTimeout e) {
            throw new BadGateway("cannot embed text: embedd at " + url + " is unavailable (" + e.getMessage() + ")",
                    Map.of("upstream", "embedd"));
        } catch (ApiException e) {
            if (e.status() >= 400 && e.status() < 500) {
                throw new dev.lakehouse.common.error.BadRequest("embedd refused the text: " + e.getMessage(),
                        Map.of("upstream", "embedd", "upstream_status", e.status()));
            }
            throw new BadGateway("cannot embed text: embedd answered " + e.status() + ": " + e.getMessage(),
                    Map.of("upstream", "embedd", "upstream_status", e.status()));
        }
        if (r.vectors() == null || r.vectors().size() != texts.size()) {
            throw new BadGateway("embedd returned " + (r.vectors() == null ? 0 : r.vectors().size()) + " vectors for "
                    + texts.size() + " texts");
        }
        if (r.dim() != dim) {
            throw new dev.lakehouse.common.error.BadRequest("index '" + index + "' has dim " + dim + " but embedd's model "
                    + r.model() + " makes " + r.dim() + "-d vectors; create the index with dim " + r.dim(),
                    Map.of("index_dim", dim, "model", String.valueOf(r.model()), "model_dim", r.dim()));
        }
        return r.vectors();
    }
}
