package org.opgate.classify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opgate.flow.Flow;

/**
 * Host-pattern index: an open-addressing hash table keyed by name, probed for the full name and
 * for every label suffix of it, without allocating: suffix hashes are built right to left in one
 * pass and keys are compared in place with {@link String#regionMatches}. Lookup cost depends on
 * the name's length, not on the number of rules.
 */
final class NameTable {

    private static final int[] NONE = new int[0];

    private final String[] keys;
    private final int[] hashes;
    /** Positions of exact-name rules for the key, ascending. */
    private final int[][] exact;
    /** Positions of {@code *.key} rules, ascending. */
    private final int[][] wild;
    private final int mask;

    private NameTable(Map<String, List<Integer>> exactRules, Map<String, List<Integer>> wildRules) {
        Map<String, Boolean> all = new HashMap<>();
        exactRules.keySet().forEach(k -> all.put(k, true));
        wildRules.keySet().forEach(k -> all.put(k, true));
        int cap = Integer.highestOneBit(Math.max(4, all.size() * 2 - 1)) << 1;
        keys = new String[cap];
        hashes = new int[cap];
        exact = new int[cap][];
        wild = new int[cap][];
        mask = cap - 1;
        for (String k : all.keySet()) {
            int h = hash(k, 0);
            int slot = spread(h) & mask;
            while (keys[slot] != null) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = k;
            hashes[slot] = h;
            exact[slot] = toArray(exactRules.get(k));
            wild[slot] = toArray(wildRules.get(k));
        }
    }

    /** Builds the table from rules and a field selector (their {@code host} or {@code sni}). */
    static NameTable of(List<EndpointRule> rules, java.util.function.Function<EndpointRule, HostPattern> field) {
        Map<String, List<Integer>> exactRules = new HashMap<>();
        Map<String, List<Integer>> wildRules = new HashMap<>();
        for (EndpointRule r : rules) {
            HostPattern p = field.apply(r);
            (p.wildcard() ? wildRules : exactRules).computeIfAbsent(p.name(), k -> new ArrayList<>()).add(r.position());
        }
        return new NameTable(exactRules, wildRules);
    }

    private static int[] toArray(List<Integer> list) {
        if (list == null) {
            return NONE;
        }
        return list.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** Hash of {@code s[from..]}, accumulated from the last character backwards. */
    private static int hash(String s, int from) {
        int h = 0;
        for (int i = s.length() - 1; i >= from; i--) {
            h = h * 31 + s.charAt(i);
        }
        return h;
    }

    private static int spread(int h) {
        return (h * 0x9E3779B9) ^ (h >>> 16);
    }

    /**
     * The lowest position below {@code best} of a rule that is keyed by {@code name} or one of
     * its suffixes and matches the whole flow; {@code best} if there is none.
     */
    int first(String name, Flow flow, int best, EndpointRule[] rules) {
        int h = 0;
        for (int i = name.length() - 1; i >= 0; i--) {
            h = h * 31 + name.charAt(i);
            if (i == 0 || name.charAt(i - 1) == '.') {
                int slot = find(name, i, h);
                if (slot >= 0) {
                    if (i == 0) {
                        best = scan(exact[slot], flow, best, rules);
                    }
                    best = scan(wild[slot], flow, best, rules);
                }
            }
        }
        return best;
    }

    private int find(String name, int from, int h) {
        int len = name.length() - from;
        int slot = spread(h) & mask;
        String k;
        while ((k = keys[slot]) != null) {
            if (hashes[slot] == h && k.length() == len && name.regionMatches(from, k, 0, len)) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    static int scan(int[] candidates, Flow flow, int best, EndpointRule[] rules) {
        for (int pos : candidates) {
            if (pos >= best) {
                break;
            }
            if (rules[pos].matches(flow)) {
                return pos;
            }
        }
        return best;
    }
}
