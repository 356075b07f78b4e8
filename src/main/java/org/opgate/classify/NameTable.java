package org.opgate.classify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opgate.classify.IndexedClassifier.Candidates;
import org.opgate.flow.Flow;

/**
 * Host-pattern index for {@code host} and {@code sni} rules together: an open-addressing hash
 * table keyed by name, probed for the full name and for every label suffix of it, without
 * allocating. Suffix hashes are built right to left in one pass over the name; a suffix is only
 * probed if some {@code *.key} has its length, and a name longer than every key is only walked
 * as far as the longest {@code *.key}. Lookup cost depends on the name's length, not on the
 * number of rules.
 *
 * <p>Layout, chosen so that a miss touches one small array and a hit three more cache lines:
 * {@code tags} holds the hash of each slot's key (0 = empty), {@code slots} the key's offset in
 * {@code keyChars} and the starts of its exact-name and {@code *.key} candidate lists.
 */
final class NameTable {

    private static final int STRIDE = 3;

    private final int[] tags;
    private final int[] slots;
    /** Keys back to back, each preceded by its length. */
    private final char[] keyChars;
    private final int[] lists;
    private final EndpointRule[] rules;
    private final int mask;
    private final int maxKeyLength;
    private final int maxWildLength;
    /** Bit {@code n} is set if some {@code *.key} has length {@code n}. */
    private final long[] wildLengths;

    private NameTable(Map<String, List<Integer>> exactRules, Map<String, List<Integer>> wildRules,
                      EndpointRule[] rules) {
        this.rules = rules;
        Map<String, int[]> starts = new LinkedHashMap<>();
        Candidates.Builder lists = new Candidates.Builder();
        exactRules.forEach((k, l) -> starts.computeIfAbsent(k, x -> new int[2])[0] = lists.add(Candidates.toArray(l)));
        wildRules.forEach((k, l) -> starts.computeIfAbsent(k, x -> new int[2])[1] = lists.add(Candidates.toArray(l)));
        this.lists = lists.build();
        int cap = Integer.highestOneBit(Math.max(4, starts.size() * 2 - 1)) << 1;
        tags = new int[cap];
        slots = new int[cap * STRIDE];
        mask = cap - 1;
        int chars = 0;
        int maxKey = 0;
        for (String k : starts.keySet()) {
            if (k.length() > Character.MAX_VALUE) {
                throw new IllegalArgumentException("host pattern of " + k.length() + " characters"
                        + " (expected: at most " + (int) Character.MAX_VALUE + ")");
            }
            chars += 1 + k.length();
            maxKey = Math.max(maxKey, k.length());
        }
        keyChars = new char[chars];
        maxKeyLength = maxKey;
        wildLengths = new long[(maxKey >>> 6) + 1];
        int maxWild = -1;
        for (String k : wildRules.keySet()) {
            wildLengths[k.length() >>> 6] |= 1L << k.length();
            maxWild = Math.max(maxWild, k.length());
        }
        maxWildLength = maxWild;
        int at = 0;
        for (Map.Entry<String, int[]> e : starts.entrySet()) {
            String k = e.getKey();
            int h = hash(k);
            int slot = spread(h) & mask;
            while (tags[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            tags[slot] = h | 1;
            slots[slot * STRIDE] = at;
            slots[slot * STRIDE + 1] = e.getValue()[0];
            slots[slot * STRIDE + 2] = e.getValue()[1];
            keyChars[at++] = (char) k.length();
            k.getChars(0, k.length(), keyChars, at);
            at += k.length();
        }
    }

    /**
     * Builds the table from rules that have a {@code host} or {@code sni} field. A rule is keyed
     * by its {@code host} if it has one, else by its {@code sni} (flagged
     * {@link Candidates#SNI_FIELD}, so probes with the requested host pass it over).
     */
    static NameTable of(List<EndpointRule> rules, EndpointRule[] all) {
        Map<String, List<Integer>> exactRules = new LinkedHashMap<>();
        Map<String, List<Integer>> wildRules = new LinkedHashMap<>();
        for (EndpointRule r : rules) {
            boolean byHost = r.host() != null;
            HostPattern p = byHost ? r.host() : r.sni();
            boolean othersTested = byHost ? r.sni() == null && r.cidr() == null : r.cidr() == null;
            List<Integer> list = (p.wildcard() ? wildRules : exactRules).computeIfAbsent(p.name(), k -> new ArrayList<>());
            Candidates.append(list, r, byHost ? 0 : Candidates.SNI_FIELD, othersTested);
        }
        return new NameTable(exactRules, wildRules, all);
    }

    /** Hash of {@code s}, accumulated from the last character backwards, as {@link #first} does. */
    private static int hash(String s) {
        int h = 0;
        for (int i = s.length() - 1; i >= 0; i--) {
            h = h * 31 + s.charAt(i);
        }
        return h;
    }

    private static int spread(int h) {
        return (h * 0x9E3779B9) ^ (h >>> 16);
    }

    /**
     * The lowest position below {@code best} of a rule that is keyed by {@code name} or one of
     * its label suffixes and matches the whole flow; {@code best} if there is none. Candidates
     * with a flag in {@code skip} are passed over.
     */
    int first(String name, int skip, Flow flow, int best) {
        int n = name.length();
        boolean whole = n <= maxKeyLength;
        int stop = whole ? 0 : Math.max(0, n - 1 - maxWildLength);
        int h = 0;
        for (int i = n - 1; i >= stop; i--) {
            char c = name.charAt(i);
            if (c == '.' && hasWildLength(n - i - 1)) {
                best = probe(name, i + 1, h, false, skip, flow, best);
            }
            h = h * 31 + c;
        }
        return whole ? probe(name, 0, h, true, skip, flow, best) : best;
    }

    private boolean hasWildLength(int len) {
        return len <= maxWildLength && (wildLengths[len >>> 6] & 1L << len) != 0;
    }

    /** Looks up {@code name[from..]}; its exact-name rules count only if it is the whole name. */
    private int probe(String name, int from, int h, boolean whole, int skip, Flow flow, int best) {
        int tag = h | 1;
        for (int slot = spread(h) & mask; ; slot = (slot + 1) & mask) {
            int t = tags[slot];
            if (t == 0) {
                return best;
            }
            if (t == tag && keyEquals(slots[slot * STRIDE], name, from)) {
                if (whole) {
                    best = Candidates.scan(lists, slots[slot * STRIDE + 1], skip, flow, best, rules);
                }
                return Candidates.scan(lists, slots[slot * STRIDE + 2], skip, flow, best, rules);
            }
        }
    }

    private boolean keyEquals(int at, String name, int from) {
        int len = keyChars[at];
        if (len != name.length() - from) {
            return false;
        }
        for (int j = 0; j < len; j++) {
            if (keyChars[at + 1 + j] != name.charAt(from + j)) {
                return false;
            }
        }
        return true;
    }
}
