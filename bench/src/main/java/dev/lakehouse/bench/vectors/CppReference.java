package dev.lakehouse.bench.vectors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Figures of the C++ nmslib/hnswlib (the library hnswlib-core ports) measured beside the project on the same
 * cached vectors and split: {@code just bench vectors cpp=FILE}. Its program and build stay outside the
 * repository; the file is lines of {@code key value}: {@code n, dim, queries, m, efc, threads, build_vps,
 * bf_qps} and one {@code ef EF RECALL QPS} per ef; {@code #} starts a comment.
 */
record CppReference(Path file, Map<String, Double> values, double[] recalls, double[] qps) {

    static CppReference read(Path file) throws IOException {
        Map<String, Double> values = new HashMap<>();
        List<double[]> efs = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 2 || f[0].startsWith("#")) {
                continue;
            }
            if (f[0].equals("ef") && f.length == 4) {
                efs.add(new double[] {Double.parseDouble(f[2]), Double.parseDouble(f[3])});
            } else {
                values.put(f[0], Double.parseDouble(f[1]));
            }
        }
        double[] recalls = efs.stream().mapToDouble(e -> e[0]).toArray();
        double[] qps = efs.stream().mapToDouble(e -> e[1]).toArray();
        return new CppReference(file, values, recalls, qps);
    }

    /** QPS where recall crosses {@code target}, linear between the two efs around it (NaN if never reached). */
    static double qpsAtRecall(double[] recalls, double[] qps, double target) {
        for (int i = 0; i < recalls.length; i++) {
            if (recalls[i] >= target) {
                if (i == 0) {
                    return qps[0];
                }
                double t = (target - recalls[i - 1]) / (recalls[i] - recalls[i - 1]);
                return qps[i - 1] + t * (qps[i] - qps[i - 1]);
            }
        }
        return Double.NaN;
    }

    double get(String key) {
        return values.getOrDefault(key, Double.NaN);
    }

    /** The issue's int8 goal: int8 QPS at recall 0.95 against the C++ library's float index. */
    void compareInt8(double int8At95) {
        double cppAt95 = qpsAtRecall(recalls, qps, 0.95);
        System.out.printf("  int8 QPS at recall@10 0.95: %.0f vs C++ float %.0f = %.2fx (goal >= 1.0x)%n", int8At95,
                cppAt95, int8At95 / cppAt95);
    }

    void compare(int threads, double buildRate, double qpsAt95, double bfQps, int m, int efc, int n) {
        System.out.printf("C++ reference %s: %.0f vectors, M=%.0f efC=%.0f, %.0f threads%n", file, get("n"), get("m"),
                get("efc"), get("threads"));
        if (get("m") != m || get("efc") != efc || get("n") != n || get("threads") != threads) {
            System.out.printf("  WARNING: the C++ run used other parameters (here %d vectors, M=%d efC=%d, %d threads)%n",
                    n, m, efc, threads);
        }
        double cppAt95 = qpsAtRecall(recalls, qps, 0.95);
        System.out.printf("  build: %.0f vs C++ %.0f vectors/s = %.2fx (goal >= 0.7x)%n", buildRate, get("build_vps"),
                buildRate / get("build_vps"));
        System.out.printf("  QPS at recall@10 0.95: %.0f vs C++ %.0f = %.2fx (goal >= 0.7x)%n", qpsAt95, cppAt95,
                qpsAt95 / cppAt95);
        System.out.printf("  brute force: %.0f vs C++ %.0f QPS = %.2fx%n", bfQps, get("bf_qps"), bfQps / get("bf_qps"));
    }
}
