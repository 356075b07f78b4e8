package org.opgate.classify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A set of TCP ports as sorted, merged, inclusive ranges ({@code [lo0, hi0, lo1, hi1, …]}).
 * Immutable; lookups allocate nothing.
 */
public final class PortSet {

    private final int[] ranges;

    private PortSet(int[] ranges) {
        this.ranges = ranges;
    }

    /** Builds a set from inclusive {@code [lo, hi]} pairs in any order; overlaps are merged. */
    public static PortSet of(List<int[]> pairs) {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("empty port list (expected: at least one port or range)");
        }
        List<int[]> sorted = new ArrayList<>(pairs);
        sorted.sort((a, b) -> Integer.compare(a[0], b[0]));
        int[] out = new int[sorted.size() * 2];
        int n = 0;
        for (int[] p : sorted) {
            if (p[0] < 1 || p[1] > 65535 || p[0] > p[1]) {
                throw new IllegalArgumentException("port range " + p[0] + "-" + p[1]
                        + " (expected: 1..65535, low end first)");
            }
            if (n > 0 && p[0] <= out[n - 1] + 1) {
                out[n - 1] = Math.max(out[n - 1], p[1]);
            } else {
                out[n++] = p[0];
                out[n++] = p[1];
            }
        }
        return new PortSet(Arrays.copyOf(out, n));
    }

    public static PortSet single(int port) {
        return of(List.of(new int[] {port, port}));
    }

    /**
     * Parses one list element: {@code 3101} or {@code 8000-8080}.
     *
     * @throws IllegalArgumentException with what is wrong and what was expected
     */
    public static int[] parseElement(String text) {
        String t = text.trim();
        if (!t.matches("[0-9]{1,5}( *- *[0-9]{1,5})?")) {
            throw new IllegalArgumentException("port '" + text + "' is not a number or range"
                    + " (expected: like 3101 or 8000-8080)");
        }
        int dash = t.indexOf('-', 1);
        try {
            int lo = Integer.parseInt(dash < 0 ? t : t.substring(0, dash).trim());
            int hi = dash < 0 ? lo : Integer.parseInt(t.substring(dash + 1).trim());
            if (lo < 1 || hi > 65535 || lo > hi) {
                throw new IllegalArgumentException("port '" + text + "' (expected: 1..65535, ranges low-high)");
            }
            return new int[] {lo, hi};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port '" + text + "' is not a number or range"
                    + " (expected: like 3101 or 8000-8080)");
        }
    }

    public boolean contains(int port) {
        int[] r = ranges;
        for (int i = 0; i < r.length; i += 2) {
            if (port < r[i]) {
                return false;
            }
            if (port <= r[i + 1]) {
                return true;
            }
        }
        return false;
    }

    /** True if every port of {@code other} is in this set. */
    public boolean containsAll(PortSet other) {
        int[] o = other.ranges;
        for (int i = 0; i < o.length; i += 2) {
            if (!containsRange(o[i], o[i + 1])) {
                return false;
            }
        }
        return true;
    }

    private boolean containsRange(int lo, int hi) {
        for (int i = 0; i < ranges.length; i += 2) {
            if (ranges[i] <= lo && hi <= ranges[i + 1]) {
                return true;
            }
        }
        return false;
    }

    /** The lowest port in both sets, or -1 if they are disjoint. */
    public int firstCommon(PortSet other) {
        int[] a = ranges;
        int[] b = other.ranges;
        int i = 0;
        int j = 0;
        while (i < a.length && j < b.length) {
            int lo = Math.max(a[i], b[j]);
            int hi = Math.min(a[i + 1], b[j + 1]);
            if (lo <= hi) {
                return lo;
            }
            if (a[i + 1] < b[j + 1]) {
                i += 2;
            } else {
                j += 2;
            }
        }
        return -1;
    }

    public int first() {
        return ranges[0];
    }

    /** Calls {@code action} for every {@code [lo, hi]} range, in order. */
    public void forEachRange(RangeConsumer action) {
        for (int i = 0; i < ranges.length; i += 2) {
            action.accept(ranges[i], ranges[i + 1]);
        }
    }

    /** Receives one inclusive range. */
    @FunctionalInterface
    public interface RangeConsumer {
        void accept(int lo, int hi);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PortSet p && Arrays.equals(p.ranges, ranges);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ranges);
    }

    /** {@code 443, 3101, 8000-8080}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ranges.length; i += 2) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(ranges[i]);
            if (ranges[i + 1] != ranges[i]) {
                sb.append('-').append(ranges[i + 1]);
            }
        }
        return sb.toString();
    }
}
