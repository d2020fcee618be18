package dev.lakehouse.bench.embed;

import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The texts of Debian's {@code fortunes} package: one text per {@code %}-separated entry. */
public final class FortunesCorpus {
    public static final Path DEFAULT_DIR = Path.of("/usr/share/games/fortunes");

    private FortunesCorpus() {}

    /** Every non-blank entry of every fortune file (not the {@code .dat} indexes or {@code .u8} links), capped at maxChars. */
    public static List<String> load(Path dir, int maxChars) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("no fortunes corpus at " + dir + "; install it: apt-get install -y fortunes");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile)
                    .filter(p -> !Files.isSymbolicLink(p))
                    .filter(p -> !p.getFileName().toString().contains("."))
                    .sorted().toList();
        }
        List<String> texts = new ArrayList<>();
        for (Path f : files) {
            String all = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(f))).toString();
            StringBuilder cur = new StringBuilder();
            for (String line : all.split("\n", -1)) {
                if (line.equals("%")) {
                    add(texts, cur, maxChars);
                    cur.setLength(0);
                } else {
                    cur.append(line).append('\n');
                }
            }
            add(texts, cur, maxChars);
        }
        return texts;
    }

    private static void add(List<String> texts, StringBuilder cur, int maxChars) {
        String t = cur.toString().strip();
        if (!t.isBlank()) {
            texts.add(t.length() > maxChars ? t.substring(0, maxChars) : t);
        }
    }
}
