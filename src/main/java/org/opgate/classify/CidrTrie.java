package org.opgate.classify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.opgate.classify.IndexedClassifier.Candidates;
import org.opgate.flow.Flow;
import org.opgate.flow.IpAddress;
import org.opgate.flow.IpPrefix;

/**
 * Prefix index over destination addresses, one per address family: a multibit trie whose first
 * level resolves 16 bits in one array access and whose deeper prefixes are found by exact hash
 * lookups, one per prefix length that actually occurs below that first-level slot.
 *
 * <pre>
 *   address ──top 16 bits──► directory slot ──► rules of length 8..16 covering the slot
 *                                            └─► lengths present below it, e.g. {20, 24}
 *                                                   └─► hash(family, 20, addr/20), hash(…, 24, addr/24)
 *   rules shorter than /8 (rare) ──► one list per family, tested on every lookup
 * </pre>
 *
 * A lookup makes one directory access and one hash probe per length present in its slot
 * (usually none or one), so its cost does not grow with the number of rules; walking a binary
 * trie instead costs up to 32 or 128 dependent memory accesses, each a likely cache miss at
 * 100,000 rules.
 */
final class CidrTrie {

    /** Bits resolved by the directory. */
    private static final int DIRECT = 16;
    /** Prefixes shorter than this would fill more than 256 directory slots each. */
    private static final int WIDE = 8;
    /** IPv6 lengths DIRECT+1 .. LAST_MASKED have a directory bit; longer ones share bit 63. */
    private static final int LAST_MASKED = DIRECT + 63;
    private static final int STRIDE = 3;

    private final EndpointRule[] rules;
    private final int[] lists;
    /** Per top-16-bit slot: lengths 17..32 present (bits 32..47), start of the short-rule list. */
    private final long[] v4Dir;
    /** Per top-16-bit slot, two longs: lengths 17..79 present (bit 63: longer), short-rule list start. */
    private final long[] v6Dir;
    private final int v4Wide;
    private final int v6Wide;
    /** IPv6 lengths above LAST_MASKED that occur, ascending. */
    private final int[] v6Longer;
    /** Longer prefixes: network hi, network lo, length << 33 | v6 << 32 | list start; 0 = empty. */
    private final long[] table;
    private final int mask;

    private CidrTrie(EndpointRule[] rules, int[] lists, long[] v4Dir, long[] v6Dir, int v4Wide, int v6Wide,
                     int[] v6Longer, long[] table) {
        this.rules = rules;
        this.lists = lists;
        this.v4Dir = v4Dir;
        this.v6Dir = v6Dir;
        this.v4Wide = v4Wide;
        this.v6Wide = v6Wide;
        this.v6Longer = v6Longer;
        this.table = table;
        this.mask = table.length / STRIDE - 1;
    }

    /** Builds the index from rules that have a {@code cidr} and no name field. */
    static CidrTrie of(List<EndpointRule> rules, EndpointRule[] all) {
        return new Builder().build(rules, all);
    }

    /** The lowest position below {@code best} of a rule whose block holds {@code a} and that matches. */
    int first(IpAddress a, Flow flow, int best) {
        if (a.isV4()) {
            best = Candidates.scan(lists, v4Wide, 0, flow, best, rules);
            if (v4Dir == null) {
                return best;
            }
            long addr = a.lo();
            long d = v4Dir[(int) (addr >>> DIRECT)];
            best = Candidates.scan(lists, (int) d, 0, flow, best, rules);
            for (int lengths = (int) (d >>> 32); lengths != 0; lengths &= lengths - 1) {
                int len = DIRECT + 1 + Integer.numberOfTrailingZeros(lengths);
                best = probe(0, addr & (0xFFFF_FFFFL << (32 - len)) & 0xFFFF_FFFFL, len, false, flow, best);
            }
            return best;
        }
        best = Candidates.scan(lists, v6Wide, 0, flow, best, rules);
        if (v6Dir == null) {
            return best;
        }
        long hi = a.hi();
        long lo = a.lo();
        int slot = (int) (hi >>> (64 - DIRECT)) * 2;
        best = Candidates.scan(lists, (int) v6Dir[slot + 1], 0, flow, best, rules);
        long lengths = v6Dir[slot];
        if (lengths < 0) {
            for (int len : v6Longer) {
                best = probe(hi, lo & (-1L << (128 - len)), len, true, flow, best);
            }
            lengths &= Long.MAX_VALUE;
        }
        for (; lengths != 0; lengths &= lengths - 1) {
            int len = DIRECT + 1 + Long.numberOfTrailingZeros(lengths);
            best = len <= 64
                    ? probe(hi & (-1L << (64 - len)), 0, len, true, flow, best)
                    : probe(hi, lo & (-1L << (128 - len)), len, true, flow, best);
        }
        return best;
    }

    private int probe(long hi, long lo, int len, boolean v6, Flow flow, int best) {
        long id = (long) len << 1 | (v6 ? 1 : 0);
        for (int slot = hash(hi, lo, id) & mask; ; slot = (slot + 1) & mask) {
            int at = slot * STRIDE;
            long meta = table[at + 2];
            if (meta == 0) {
                return best;
            }
            if (meta >>> 32 == id && table[at] == hi && table[at + 1] == lo) {
                return Candidates.scan(lists, (int) meta, 0, flow, best, rules);
            }
        }
    }

    private static int hash(long hi, long lo, long id) {
        long x = hi * 0x9E3779B97F4A7C15L ^ lo * 0xC2B2AE3D27D4EB4FL ^ id * 0x165667B19E3779F9L;
        x ^= x >>> 29;
        x *= 0xBF58476D1CE4E5B9L;
        return (int) (x ^ x >>> 32);
    }

    private static final class Builder {
        private final Candidates.Builder lists = new Candidates.Builder();
        private final List<Integer> v4Wide = new ArrayList<>();
        private final List<Integer> v6Wide = new ArrayList<>();
        /** Short-rule entries per directory slot, for each family. */
        private final Map<Integer, List<Integer>> v4Short = new LinkedHashMap<>();
        private final Map<Integer, List<Integer>> v6Short = new LinkedHashMap<>();
        private final Map<Integer, Long> v4Lengths = new LinkedHashMap<>();
        private final Map<Integer, Long> v6Lengths = new LinkedHashMap<>();
        private final TreeSet<Integer> v6Longer = new TreeSet<>();
        /** Longer prefixes: (hi, lo, id) → entries. */
        private final Map<List<Long>, List<Integer>> longer = new LinkedHashMap<>();

        CidrTrie build(List<EndpointRule> rules, EndpointRule[] all) {
            boolean anyV4 = false;
            boolean anyV6 = false;
            for (EndpointRule r : rules) {
                IpPrefix p = r.cidr();
                int len = p.length();
                if (!p.truncate(len).equals(p)) {
                    // Host bits set (only possible through the record constructor): contains()
                    // is false for every address, so the rule can never match.
                    continue;
                }
                IpAddress n = p.network();
                boolean v6 = !n.isV4();
                anyV4 |= !v6;
                anyV6 |= v6;
                if (len < WIDE) {
                    // Not covered by the directory: re-checked in full, block included.
                    Candidates.append(v6 ? v6Wide : v4Wide, r, 0, false);
                } else if (len <= DIRECT) {
                    int first = (int) (v6 ? n.hi() >>> (64 - DIRECT) : n.lo() >>> (32 - DIRECT));
                    for (int s = first; s < first + (1 << (DIRECT - len)); s++) {
                        Candidates.append((v6 ? v6Short : v4Short).computeIfAbsent(s, k -> new ArrayList<>()), r, 0, true);
                    }
                } else {
                    int slot = (int) (v6 ? n.hi() >>> (64 - DIRECT) : n.lo() >>> (32 - DIRECT));
                    int bit = Math.min(len, LAST_MASKED + 1) - DIRECT - 1;
                    (v6 ? v6Lengths : v4Lengths).merge(slot, 1L << bit, (x, y) -> x | y);
                    if (v6 && len > LAST_MASKED) {
                        v6Longer.add(len);
                    }
                    long id = (long) len << 1 | (v6 ? 1 : 0);
                    List<Long> key = List.of(v6 ? n.hi() : 0L, n.lo(), id);
                    Candidates.append(longer.computeIfAbsent(key, k -> new ArrayList<>()), r, 0, true);
                }
            }
            long[] v4Dir = null;
            if (anyV4) {
                v4Dir = new long[1 << DIRECT];
                for (Map.Entry<Integer, List<Integer>> e : v4Short.entrySet()) {
                    v4Dir[e.getKey()] = lists.add(Candidates.toArray(e.getValue()));
                }
                for (Map.Entry<Integer, Long> e : v4Lengths.entrySet()) {
                    v4Dir[e.getKey()] |= e.getValue() << 32;
                }
            }
            long[] v6Dir = null;
            if (anyV6) {
                v6Dir = new long[2 << DIRECT];
                for (Map.Entry<Integer, List<Integer>> e : v6Short.entrySet()) {
                    v6Dir[e.getKey() * 2 + 1] = lists.add(Candidates.toArray(e.getValue()));
                }
                for (Map.Entry<Integer, Long> e : v6Lengths.entrySet()) {
                    v6Dir[e.getKey() * 2] = e.getValue();
                }
            }
            int cap = Integer.highestOneBit(Math.max(4, longer.size() * 2 - 1)) << 1;
            long[] table = new long[cap * STRIDE];
            for (Map.Entry<List<Long>, List<Integer>> e : longer.entrySet()) {
                long hi = e.getKey().get(0);
                long lo = e.getKey().get(1);
                long id = e.getKey().get(2);
                int slot = hash(hi, lo, id) & (cap - 1);
                while (table[slot * STRIDE + 2] != 0) {
                    slot = (slot + 1) & (cap - 1);
                }
                table[slot * STRIDE] = hi;
                table[slot * STRIDE + 1] = lo;
                table[slot * STRIDE + 2] = id << 32 | lists.add(Candidates.toArray(e.getValue()));
            }
            int v4w = lists.add(Candidates.toArray(v4Wide));
            int v6w = lists.add(Candidates.toArray(v6Wide));
            return new CidrTrie(all, lists.build(), v4Dir, v6Dir, v4w, v6w,
                    v6Longer.stream().mapToInt(Integer::intValue).toArray(), table);
        }
    }
}
