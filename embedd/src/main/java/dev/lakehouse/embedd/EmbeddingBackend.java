package dev.lakehouse.embedd;

import dev.lakehouse.common.model.ModelInfo;
import java.util.List;
import java.util.OptionalInt;

/** One way of turning texts into vectors: the in-process ONNX model or an Ollama server. */
public interface EmbeddingBackend extends AutoCloseable {
    /** The model's name, dimension and backend id, as {@code GET /embed/models} reports them. */
    ModelInfo info();

    /** One vector of {@code info().dim()} floats per text, in order. Texts are already validated. */
    List<float[]> embed(List<String> texts);

    /**
     * Whether a large batch should be split across the worker pool. True for the CPU-bound in-process
     * model (one chunk per core); false for a remote server that batches itself.
     */
    boolean splitAcrossWorkers();

    /** How many model tokens the texts make, if this backend can tell without a second model call. */
    default OptionalInt countTokens(List<String> texts) {
        return OptionalInt.empty();
    }

    @Override
    default void close() {}
}
