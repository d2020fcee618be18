package dev.lakehouse.bench.query;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU seconds a process has used (user + system, {@code /proc/<pid>/stat}). On a loaded machine the CPU an export
 * costs each process holds still where its wall time does not; a pid of 0 or an unreadable file reads as NaN.
 */
final class ProcessCpu {
    /** Linux's USER_HZ: the unit of utime and stime. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {}

    static double seconds(long pid) {
        if (pid <= 0) {
            return Double.NaN;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) may hold spaces; fields 14 and 15 are counted after its closing paren
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
