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
