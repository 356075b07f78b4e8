package org.opgate.classify;

import java.util.ArrayList;
import java.util.Arrays;
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
 * level resolves 16 bits and whose deeper prefixes are found by exact hash lookups, one per
 * prefix length that actually occurs below that first-level slot.
 *
 * <pre>
 *   address ──top 16 bits──► has-short bit ──► rules of length 8..16 covering the slot
 *          ──filter bit────► (a deeper prefix may hold it) ──► lengths present below the slot, e.g. {20, 24}
 *                                                   └─► hash(family, 20, addr/20), hash(…, 24, addr/24)
 *   rules shorter than /8 (rare) ──► one list per family, tested on every lookup
 * </pre>
 *
 * <p>At 100,000 rules the deep table is megabytes and each probe of it is a memory round trip
 * (about 200 ns on the benchmark machine), so a lookup first asks small bitmaps that stay
 * cached: one bit per IPv4 /20 that some longer prefix touches (128 KB), and one hashed bit per
 * IPv6 /32 (32 KB). Most addresses that no rule covers end there. A table entry holds its first
 * candidate inline, so a hit usually reads one entry and nothing else.
 */
final class CidrTrie {

    /** Bits resolved by the first level. */
    private static final int DIRECT = 16;
    /** Prefixes shorter than this would fill more than 256 first-level slots each. */
    private static final int WIDE = 8;
    /** IPv6 lengths DIRECT+1 .. LAST_MASKED have a bit in the lengths mask; longer ones share bit 63. */
    private static final int LAST_MASKED = DIRECT + 63;
    /** IPv4 filter: one bit per /20. */
    private static final int V4_FILTER = 20;
    /** IPv6 filter: one hashed bit per /32, kept only if no deeper IPv6 prefix is shorter than /32. */
    private static final int V6_FILTER = 32;
    private static final int V6_FILTER_BITS = 18;
    /** Longs per table entry: network hi, network lo, length id and rest-list start, first candidate. */
    private static final int ENTRY = 4;
    /** Longs before the first entry, so that entries do not straddle lines (see NameTable's PAD). */
    private static final int PAD = 2;

    private final EndpointRule[] rules;
    /** Rest lists of table entries and the lists of rules shorter than /8. */
    private final int[] lists;
    /** Lists of rules /8../16 by first-level slot; small, so it stays cached. */
    private final int[] shortLists;
    private final int v4Wide;
    private final int v6Wide;
    /** Per family: bit per slot that has rules /8../16, their list start by slot; null if none. */
    private final long[] v4HasShort;
    private final int[] v4Short;
    private final long[] v6HasShort;
    private final int[] v6Short;
    /** Per family: filter bits (see the class comment); null if there are no longer prefixes. */
    private final long[] v4Filter;
    private final long[] v6Filter;
    /** IPv4 lengths 17..32 present below each slot, one bit each; null if none. */
    private final char[] v4Lengths;
    /** IPv6 lengths 17..79 present below each slot (bit 63: longer); null if none. */
    private final long[] v6Lengths;
    /** IPv6 lengths above LAST_MASKED that occur, ascending. */
    private final int[] v6Longer;
    private final long[] table;
    private final int mask;
    /**
     * Classification of each table entry's first candidate by slot, null for an empty slot: read
     * first, in parallel with the entry, and the end of a probe when null.
     */
    private final Classification[] answers;

    private CidrTrie(Builder b, EndpointRule[] rules, Classification[] results) {
        this.rules = rules;
        this.lists = b.lists.build();
        this.shortLists = b.shortLists.build();
        this.v4Wide = b.v4WideStart;
        this.v6Wide = b.v6WideStart;
        this.v4HasShort = b.v4HasShort;
        this.v4Short = b.v4Short;
        this.v6HasShort = b.v6HasShort;
        this.v6Short = b.v6Short;
        this.v4Filter = b.v4Filter;
        this.v6Filter = b.v6Filter;
        this.v4Lengths = b.v4Lengths;
        this.v6Lengths = b.v6Lengths;
        this.v6Longer = b.v6Longer.stream().mapToInt(Integer::intValue).toArray();
        this.table = b.table;
        this.mask = (table.length - PAD) / ENTRY - 1;
        this.answers = new Classification[mask + 1];
        for (int slot = 0; slot <= mask; slot++) {
            long first = table[PAD + slot * ENTRY + 3];
            if (table[PAD + slot * ENTRY + 2] != 0) {
                answers[slot] = results[(int) (first >>> 32) & Candidates.POSITION];
            }
        }
    }

    /**
     * Builds the index from rules that have a {@code cidr} and no name field.
     *
     * @param results the classification of each rule, by position
     */
    static CidrTrie of(List<EndpointRule> rules, EndpointRule[] all, Classification[] results) {
        Builder b = new Builder();
        b.build(rules);
        return new CidrTrie(b, all, results);
    }

    /** The answer of the entry at {@code slot}. */
    Classification answer(int slot) {
        return answers[slot];
    }

    /** The best of {@code best} and the rules whose block holds {@code a} and that match the flow. */
    long first(IpAddress a, Flow flow, long best) {
        if (a.isV4()) {
            best = Candidates.scan(lists, v4Wide, 0, flow, best, rules);
            int addr = (int) a.lo();
            int slot = addr >>> DIRECT;
            if (v4HasShort != null && (v4HasShort[slot >>> 6] & 1L << slot) != 0) {
                best = Candidates.scan(shortLists, v4Short[slot], 0, flow, best, rules);
            }
            int bucket = addr >>> (32 - V4_FILTER);
            if (v4Filter != null && (v4Filter[bucket >>> 6] & 1L << bucket) != 0) {
                long value = addr & 0xFFFF_FFFFL;
                for (int lengths = v4Lengths[slot]; lengths != 0; lengths &= lengths - 1) {
                    int len = DIRECT + 1 + Integer.numberOfTrailingZeros(lengths);
                    best = probe(0, value & (0xFFFF_FFFFL << (32 - len)) & 0xFFFF_FFFFL, len, false, flow, best);
                }
            }
            return best;
        }
        best = Candidates.scan(lists, v6Wide, 0, flow, best, rules);
        long hi = a.hi();
        long lo = a.lo();
        int slot = (int) (hi >>> (64 - DIRECT));
        if (v6HasShort != null && (v6HasShort[slot >>> 6] & 1L << slot) != 0) {
            best = Candidates.scan(shortLists, v6Short[slot], 0, flow, best, rules);
        }
        if (v6Lengths == null) {
            return best;
        }
        if (v6Filter != null) {
            int bit = v6FilterBit(hi);
            if ((v6Filter[bit >>> 6] & 1L << bit) == 0) {
                return best;
            }
        }
        long lengths = v6Lengths[slot];
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

    private static int v6FilterBit(long hi) {
        long x = (hi >>> (64 - V6_FILTER)) * 0x9E3779B97F4A7C15L;
        return (int) (x >>> (64 - V6_FILTER_BITS));
    }

    private long probe(long hi, long lo, int len, boolean v6, Flow flow, long best) {
        long id = (long) len << 1 | (v6 ? 1 : 0);
        for (int slot = hash(hi, lo, id) & mask; ; slot = (slot + 1) & mask) {
            if (answers[slot] == null) {
                return best;
            }
            int at = PAD + slot * ENTRY;
            long meta = table[at + 2];
            if (meta >>> 32 == id && table[at] == hi && table[at + 1] == lo) {
                return Candidates.first(table[at + 3], Candidates.CIDRS | slot, lists, (int) meta, 0, flow, best, rules);
            }
        }
    }

    private static int hash(long hi, long lo, long id) {
        long x = hi * 0x9E3779B97F4A7C15L ^ lo * 0xC2B2AE3D27D4EB4FL ^ id * 0x165667B19E3779F9L;
        x ^= x >>> 29;
        x *= 0xBF58476D1CE4E5B9L;
        return (int) (x ^ x >>> 32);
    }

    private static void set(long[] bits, int bit) {
        bits[bit >>> 6] |= 1L << bit;
    }

    private static final class Builder {
        final Candidates.Builder lists = new Candidates.Builder();
        final Candidates.Builder shortLists = new Candidates.Builder();
        private final List<Integer> v4WideRules = new ArrayList<>();
        private final List<Integer> v6WideRules = new ArrayList<>();
        /** Short-rule entries per first-level slot, for each family. */
        private final Map<Integer, List<Integer>> v4ShortRules = new LinkedHashMap<>();
        private final Map<Integer, List<Integer>> v6ShortRules = new LinkedHashMap<>();
        /** Longer prefixes: (hi, lo, id) → entries. */
        private final Map<List<Long>, List<Integer>> longer = new LinkedHashMap<>();
        final TreeSet<Integer> v6Longer = new TreeSet<>();
        int v4WideStart;
        int v6WideStart;
        long[] v4HasShort;
        int[] v4Short;
        long[] v6HasShort;
        int[] v6Short;
        long[] v4Filter;
        long[] v6Filter;
        char[] v4Lengths;
        long[] v6Lengths;
        long[] table;

        void build(List<EndpointRule> rules) {
            boolean v6Filtered = true;
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
                int slot = (int) (v6 ? n.hi() >>> (64 - DIRECT) : n.lo() >>> (32 - DIRECT));
                if (len < WIDE) {
                    // Not covered by the first level: re-checked in full, block included.
                    Candidates.append(v6 ? v6WideRules : v4WideRules, r, 0, false);
                } else if (len <= DIRECT) {
                    for (int s = slot; s < slot + (1 << (DIRECT - len)); s++) {
                        Candidates.append((v6 ? v6ShortRules : v4ShortRules).computeIfAbsent(s, k -> new ArrayList<>()),
                                r, 0, true);
                    }
                } else if (v6) {
                    if (v6Lengths == null) {
                        v6Lengths = new long[1 << DIRECT];
                        v6Filter = new long[1 << (V6_FILTER_BITS - 6)];
                    }
                    v6Lengths[slot] |= 1L << (Math.min(len, LAST_MASKED + 1) - DIRECT - 1);
                    if (len > LAST_MASKED) {
                        v6Longer.add(len);
                    }
                    if (len < V6_FILTER) {
                        v6Filtered = false;
                    } else {
                        set(v6Filter, v6FilterBit(n.hi()));
                    }
                    addLonger(n.hi(), n.lo(), len, true, r);
                } else {
                    if (v4Lengths == null) {
                        v4Lengths = new char[1 << DIRECT];
                        v4Filter = new long[1 << (V4_FILTER - 6)];
                    }
                    v4Lengths[slot] |= (char) (1 << (len - DIRECT - 1));
                    int bucket = (int) (n.lo() >>> (32 - V4_FILTER));
                    for (int k = 0; k < 1 << Math.max(0, V4_FILTER - len); k++) {
                        set(v4Filter, bucket + k);
                    }
                    addLonger(0, n.lo(), len, false, r);
                }
            }
            if (!v6Filtered) {
                v6Filter = null;
            }
            if (!v4ShortRules.isEmpty()) {
                v4HasShort = new long[1 << (DIRECT - 6)];
                v4Short = shortDirectory(v4ShortRules, v4HasShort);
            }
            if (!v6ShortRules.isEmpty()) {
                v6HasShort = new long[1 << (DIRECT - 6)];
                v6Short = shortDirectory(v6ShortRules, v6HasShort);
            }
            int cap = Integer.highestOneBit(Math.max(4, longer.size() * 2 - 1)) << 1;
            table = new long[PAD + cap * ENTRY];
            for (Map.Entry<List<Long>, List<Integer>> e : longer.entrySet()) {
                long hi = e.getKey().get(0);
                long lo = e.getKey().get(1);
                long id = e.getKey().get(2);
                int slot = hash(hi, lo, id) & (cap - 1);
                while (table[PAD + slot * ENTRY + 2] != 0) {
                    slot = (slot + 1) & (cap - 1);
                }
                int[] entries = Candidates.toArray(e.getValue());
                int at = PAD + slot * ENTRY;
                table[at] = hi;
                table[at + 1] = lo;
                table[at + 2] = id << 32 | lists.add(Arrays.copyOfRange(entries, 2, entries.length));
                table[at + 3] = Candidates.entry(entries, 0);
            }
            v4WideStart = lists.add(Candidates.toArray(v4WideRules));
            v6WideStart = lists.add(Candidates.toArray(v6WideRules));
        }

        private void addLonger(long hi, long lo, int len, boolean v6, EndpointRule r) {
            long id = (long) len << 1 | (v6 ? 1 : 0);
            List<Long> key = List.of(v6 ? hi : 0L, lo, id);
            Candidates.append(longer.computeIfAbsent(key, k -> new ArrayList<>()), r, 0, true);
        }

        private int[] shortDirectory(Map<Integer, List<Integer>> bySlot, long[] has) {
            int[] starts = new int[1 << DIRECT];
            bySlot.forEach((slot, entries) -> {
                starts[slot] = shortLists.add(Candidates.toArray(entries));
                set(has, slot);
            });
            return starts;
        }
    }
}
