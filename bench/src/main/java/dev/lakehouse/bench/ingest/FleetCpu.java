package dev.lakehouse.bench.ingest;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time (user + system, all threads) of the fleet processes an ingest runs through -- gateway, ingestd, storaged,
 * catalogd, devs3 -- from {@code /proc/<pid>/stat}, pids from the fleet's run dir ({@code <svc>.pid}). DuckDB's
 * workers are native threads of ingestd, so they are counted too. Idle services are left out: their background
 * ticks would be noise. The bench client's own sending is not counted (the reference has no client either).
 * Beside the total, each process's system time and its JIT compiler threads' time ({@code /proc/<pid>/task}): kernel
 * copies and syscalls show as system time, and compiler time says whether the fleet was still warming up.
 */
final class FleetCpu {
    private static final List<String> ON_THE_PATH = List.of("gateway", "ingestd", "storaged", "catalogd", "devs3");
    /** USER_HZ: /proc reports clock ticks, 100 a second on Linux (sysconf(_SC_CLK_TCK) on every mainstream arch). */
    private static final long TICK_NANOS = 10_000_000L;

    /** One process's CPU so far, ns: all of it, the system part, and that of its live JIT compiler threads. */
    record Reading(long total, long sys, long jit) {}

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

    /** Each process's CPU time so far, in the order of {@link #names}. */
    Reading[] each() throws IOException {
        Reading[] out = new Reading[pids.size()];
        for (int i = 0; i < out.length; i++) {
            Path proc = Path.of("/proc/" + pids.get(i));
            long[] t = ticks(Files.readString(proc.resolve("stat")));
            out[i] = new Reading((t[0] + t[1]) * TICK_NANOS, t[1] * TICK_NANOS, jitTicks(proc) * TICK_NANOS);
        }
        return out;
    }

    /** HotSpot's compiler threads ("C1 CompilerThre…", "C2 CompilerThre…"); one that exited meanwhile is not counted. */
    private static long jitTicks(Path proc) throws IOException {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                        long[] t = ticks(stat);
                        sum += t[0] + t[1];
                    }
                } catch (NoSuchFileException gone) {
                    // the thread ended between the listing and the read
                }
            }
        }
        return sum;
    }

    /** utime and stime of a {@code stat} line: fields 14 and 15, after the command name "(…)", which may hold spaces. */
    static long[] ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    }
}
