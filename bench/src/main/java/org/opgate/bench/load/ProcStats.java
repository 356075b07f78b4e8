package org.opgate.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time and resident memory of a set of processes (the proxy under test: one JVM, or nginx's
 * and Squid's several processes), read from /proc. Linux only; unreadable processes count 0.
 */
final class ProcStats {

    /** Clock ticks per second of /proc/PID/stat (USER_HZ, 100 on Linux). */
    private static final double TICKS = 100.0;

    private final List<Long> pids;

    ProcStats(List<Long> pids) {
        this.pids = List.copyOf(pids);
    }

    boolean empty() {
        return pids.isEmpty();
    }

    /** User plus system CPU seconds so far, summed over the processes. */
    double cpuSeconds() {
        long ticks = 0;
        for (long pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                // Fields after the command name, which may hold spaces and is in parentheses.
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (IOException | RuntimeException e) {
                // gone or unreadable: counts nothing
            }
        }
        return ticks / TICKS;
    }

    /** Resident set size in bytes, summed over the processes. */
    long rssBytes() {
        long kb = 0;
        for (long pid : pids) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        kb += Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // gone or unreadable: counts nothing
            }
        }
        return kb * 1024;
    }
}
