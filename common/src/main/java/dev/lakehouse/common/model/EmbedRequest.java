package dev.lakehouse.common.model;

import java.util.List;

/** Body of {@code POST /embed}: either {@code texts} or a single {@code text}. */
public record EmbedRequest(List<String> texts, String text) {
    public static EmbedRequest of(List<String> texts) {
        return new EmbedRequest(texts, null);
    }
}
