package org.opgate.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.DirectoryStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CPU time and resident memory of a set of processes and their descendants (the proxy under
 * test: one JVM, or nginx's worker and Dante's children, found anew at each sample), read from
 * /proc. Linux only; unreadable processes count 0, and children that exited are not counted.
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

    /** The processes and every descendant alive now. */
    private Set<Long> family() {
        Set<Long> all = new HashSet<>(pids);
        if (pids.isEmpty()) {
            return all;
        }
        Map<Long, List<Long>> children = new HashMap<>();
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path p : proc) {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    long ppid = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
                    children.computeIfAbsent(ppid, k -> new ArrayList<>()).add(Long.parseLong(p.getFileName().toString()));
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            return all;
        }
        Deque<Long> todo = new ArrayDeque<>(pids);
        while (!todo.isEmpty()) {
            for (long c : children.getOrDefault(todo.pop(), List.of())) {
                if (all.add(c)) {
                    todo.push(c);
                }
            }
        }
        return all;
    }

    /** User plus system CPU seconds so far, summed over the processes. */
    double cpuSeconds() {
        long ticks = 0;
        for (long pid : family()) {
            try {
                ticks += ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
            } catch (IOException | RuntimeException e) {
                // gone or unreadable: counts nothing
            }
        }
        return ticks / TICKS;
    }

    /** User plus system ticks of one /proc stat line. */
    private static long ticks(String stat) {
        // Fields after the command name, which may hold spaces and is in parentheses.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /**
     * A JVM's own threads: its compilers, garbage collectors and VM housekeeping (their names in
     * /proc/PID/task/TID/comm, cut to 15 characters). Anything else is the program's work.
     */
    private static final java.util.regex.Pattern JVM_SERVICE = java.util.regex.Pattern.compile(
            "(C1 |C2 |GC |G1 |VM |Sweeper|Common-Cleaner|Service Thread|Monitor Deflati|Notification Th|Signal Dispatch"
                    + "|JFR |Finalizer|Reference Handl|Attach Listener).*");

    /**
     * Like {@link #cpuSeconds} without a JVM's compiler, GC and VM threads: what the program's own
     * threads used (for a program that is no JVM, the same as {@link #cpuSeconds}).
     */
    double workCpuSeconds() {
        long ticks = 0;
        for (long pid : family()) {
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path task : tasks) {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                        if (JVM_SERVICE.matcher(comm).matches()) {
                            continue;
                        }
                        ticks += ticks(stat);
                    } catch (IOException | RuntimeException e) {
                        // gone meanwhile
                    }
                }
            } catch (IOException | RuntimeException e) {
                // gone or unreadable: counts nothing
            }
        }
        return ticks / TICKS;
    }

    /** Resident set size in bytes, summed over the processes. */
    long rssBytes() {
        long kb = 0;
        for (long pid : family()) {
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
