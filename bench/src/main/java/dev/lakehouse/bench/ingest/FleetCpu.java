package dev.lakehouse.bench.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time (user + system, all threads) of the fleet processes an ingest runs through -- gateway, ingestd, storaged,
 * catalogd, devs3 -- from {@code /proc/<pid>/stat}, pids from the fleet's run dir ({@code <svc>.pid}). DuckDB's
 * workers are native threads of ingestd, so they are counted too. Idle services are left out: their background
 * ticks would be noise. The bench client's own sending is not counted (the reference has no client either).
 */
final class FleetCpu {
    private static final List<String> ON_THE_PATH = List.of("gateway", "ingestd", "storaged", "catalogd", "devs3");
    /** USER_HZ: /proc reports clock ticks, 100 a second on Linux (sysconf(_SC_CLK_TCK) on every mainstream arch). */
    private static final long TICK_NANOS = 10_000_000L;

    private final List<Long> pids;
    private final List<String> names;

    private FleetCpu(List<Long> pids, List<String> names) {
        this.pids = pids;
        this.names = names;
    }

    static FleetCpu of(Path runDir) throws IOException {
        List<Long> pids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String svc : ON_THE_PATH) {
            Path f = runDir.resolve(svc + ".pid");
            if (Files.exists(f)) {
                long pid = Long.parseLong(Files.readString(f).strip());
                if (Files.exists(Path.of("/proc/" + pid + "/stat"))) {
                    pids.add(pid);
                    names.add(svc);
                }
            }
        }
        return new FleetCpu(pids, names);
    }

    String describe() {
        return pids.isEmpty() ? "no fleet pids found (cpu 0)" : "the CPU of " + String.join(", ", names);
    }

    List<String> names() {
        return names;
    }

    /** Each process's CPU time so far, in ns, in the order of {@link #names}. */
    long[] each() throws IOException {
        long[] out = new long[pids.size()];
        for (int i = 0; i < out.length; i++) {
            String stat = Files.readString(Path.of("/proc/" + pids.get(i) + "/stat"));
            // fields after the command name "(…)", which may hold spaces: state is field 3, utime 14, stime 15
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            out[i] = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_NANOS;
        }
        return out;
    }
}
