package dev.lakehouse.bench.vectors;

import dev.lakehouse.bench.embed.FortunesCorpus;
import dev.lakehouse.embedd.DjlCache;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Real embeddings for recall measurements: Debian's fortunes (each whole entry, plus each distinct line of
 * 30+ characters) embedded by the in-process all-MiniLM-L6-v2 (quantized, 384-d). Embedding takes minutes on
 * 2 cores, so the vectors are cached in a local file and reused while the corpus is unchanged.
 */
public final class FortunesEmbeddings {
    private FortunesEmbeddings() {}

    public record Corpus(List<String> texts, int entries) {}

    public static Corpus texts() throws IOException {
        List<String> entries = FortunesCorpus.load(FortunesCorpus.DEFAULT_DIR, 2000);
        Set<String> all = new LinkedHashSet<>(entries);
        int nEntries = all.size();
        for (String e : entries) {
            for (String line : e.split("\n")) {
                String l = line.strip();
                if (l.length() >= 30) {
                    all.add(l);
                }
            }
        }
        return new Corpus(new ArrayList<>(all), nEntries);
    }

    public static float[][] load(Path cache, Path dataDir, List<String> texts) throws IOException {
        if (Files.isRegularFile(cache)) {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(cache), 1 << 16))) {
                int n = in.readInt();
                int dim = in.readInt();
                if (n == texts.size()) {
                    float[][] v = new float[n][dim];
                    for (float[] row : v) {
                        for (int d = 0; d < dim; d++) {
                            row[d] = in.readFloat();
                        }
                    }
                    System.out.printf("embeddings: %d x %d from cache %s%n", n, dim, cache);
                    return v;
                }
            }
        }
        DjlCache.configure(dataDir);
        AllMiniLmL6V2QuantizedEmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();
        float[][] v = new float[texts.size()][];
        long t0 = System.nanoTime();
        int batch = 512;
        for (int i = 0; i < texts.size(); i += batch) {
            List<TextSegment> seg = texts.subList(i, Math.min(texts.size(), i + batch)).stream().map(TextSegment::from).toList();
            List<Embedding> e = model.embedAll(seg).content();
            for (int j = 0; j < e.size(); j++) {
                v[i + j] = e.get(j).vector();
            }
            if ((i / batch) % 10 == 0) {
                System.out.printf("  embedded %d/%d (%.0f texts/s)%n", i + e.size(), texts.size(),
                        (i + e.size()) / ((System.nanoTime() - t0) / 1e9));
            }
        }
        System.out.printf("embeddings: %d texts in %.1f s (%.0f texts/s); caching to %s%n", texts.size(),
                (System.nanoTime() - t0) / 1e9, texts.size() / ((System.nanoTime() - t0) / 1e9), cache);
        Files.createDirectories(cache.getParent());
        Path tmp = cache.resolveSibling(cache.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
            out.writeInt(v.length);
            out.writeInt(v[0].length);
            for (float[] row : v) {
                for (float x : row) {
                    out.writeFloat(x);
                }
            }
        }
        Files.move(tmp, cache, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return v;
    }
}
