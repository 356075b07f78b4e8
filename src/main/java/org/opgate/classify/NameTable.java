package org.opgate.classify;

import java.util.ArrayList;
import java.util.Arrays;
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
 * <p>Layout, chosen for a 100,000-rule table that does not fit in the cache, where every line
 * touched costs a memory round trip (about 200 ns on the benchmark machine):
 * <ul>
 *   <li>{@code tags}: one byte of the key's hash per slot (0 = empty), 128 KB at 100,000 rules,
 *       small enough to stay cached; a probe for a name that is not a key ends here;</li>
 *   <li>{@code records}: one 64-byte record per slot, reached only on a tag match, holding the
 *       key's bytes (up to {@link #INLINE}) and the first exact-name and first {@code *.key}
 *       candidate with its port range, so that a hit usually reads this one record and
 *       nothing else; further candidates are in {@code lists}.</li>
 * </ul>
 */
final class NameTable {

    /** Longs per record: rest-list starts, first exact, first wild, header + key bytes (37). */
    private static final int RECORD = 8;
    private static final int INFO = 3;
    /** Key bytes held in a record: 5 in the header long, 32 in the four after it. */
    static final int INLINE = 37;
    private static final int KEY_SHIFT = 24;
    private static final long HAS_EXACT = 1L << 16;
    private static final long HAS_WILD = 1L << 17;
    /** The key is longer than {@link #INLINE} or has a character above 0xFF: compared as a String. */
    private static final long OVERFLOW = 1L << 18;

    private final byte[] tags;
    private final long[] records;
    /** Keys of overflow records by slot, else null. */
    private final String[] overflowKeys;
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
        Map<String, Slot> keys = new LinkedHashMap<>();
        Candidates.Builder lists = new Candidates.Builder();
        exactRules.forEach((k, l) -> keys.computeIfAbsent(k, x -> new Slot()).exact = Candidates.toArray(l));
        wildRules.forEach((k, l) -> keys.computeIfAbsent(k, x -> new Slot()).wild = Candidates.toArray(l));
        int cap = Integer.highestOneBit(Math.max(4, keys.size() * 2 - 1)) << 1;
        tags = new byte[cap];
        records = new long[cap * RECORD];
        overflowKeys = new String[cap];
        mask = cap - 1;
        int maxKey = 0;
        for (String k : keys.keySet()) {
            maxKey = Math.max(maxKey, k.length());
        }
        maxKeyLength = maxKey;
        wildLengths = new long[(maxKey >>> 6) + 1];
        int maxWild = -1;
        for (String k : wildRules.keySet()) {
            wildLengths[k.length() >>> 6] |= 1L << k.length();
            maxWild = Math.max(maxWild, k.length());
        }
        maxWildLength = maxWild;
        for (Map.Entry<String, Slot> e : keys.entrySet()) {
            String k = e.getKey();
            Slot s = e.getValue();
            long m = mix(hash(k));
            int slot = (int) m & mask;
            while (tags[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            tags[slot] = tag(m);
            int at = slot * RECORD;
            long info = 0;
            int exactRest = 0;
            int wildRest = 0;
            if (s.exact != null) {
                info |= HAS_EXACT;
                records[at + 1] = Candidates.entry(s.exact, 0);
                exactRest = lists.add(Arrays.copyOfRange(s.exact, 2, s.exact.length));
            }
            if (s.wild != null) {
                info |= HAS_WILD;
                records[at + 2] = Candidates.entry(s.wild, 0);
                wildRest = lists.add(Arrays.copyOfRange(s.wild, 2, s.wild.length));
            }
            records[at] = (long) exactRest << 32 | wildRest & 0xFFFF_FFFFL;
            if (fitsInline(k)) {
                info |= k.length();
                records[at + INFO] = info;
                for (int j = 0; j < k.length(); j++) {
                    int bit = KEY_SHIFT + 8 * j;
                    records[at + INFO + (bit >>> 6)] |= (long) k.charAt(j) << (bit & 63);
                }
            } else {
                records[at + INFO] = info | OVERFLOW;
                overflowKeys[slot] = k;
            }
        }
        this.lists = lists.build();
    }

    /** The exact-name and {@code *.key} candidate entries of one key, as Candidates pairs. */
    private static final class Slot {
        int[] exact;
        int[] wild;
    }

    private static boolean fitsInline(String k) {
        if (k.length() > INLINE) {
            return false;
        }
        for (int j = 0; j < k.length(); j++) {
            if (k.charAt(j) > 0xFF) {
                return false;
            }
        }
        return true;
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
    private static long hash(String s) {
        long h = 0;
        for (int i = s.length() - 1; i >= 0; i--) {
            h = h * 31 + s.charAt(i);
        }
        return h;
    }

    /** Spreads the character hash over all 64 bits: the slot comes from the low bits, the tag from the top. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return h;
    }

    /** A tag in 1..127: 0 marks an empty slot. */
    private static byte tag(long mixed) {
        return (byte) (mixed >>> 57 | 1);
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
        long h = 0;
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
    private int probe(String name, int from, long h, boolean whole, int skip, Flow flow, int best) {
        long m = mix(h);
        byte tag = tag(m);
        for (int slot = (int) m & mask; ; slot = (slot + 1) & mask) {
            byte t = tags[slot];
            if (t == 0) {
                return best;
            }
            if (t == tag && keyEquals(slot, name, from)) {
                int at = slot * RECORD;
                long info = records[at + INFO];
                if (whole && (info & HAS_EXACT) != 0) {
                    best = Candidates.first(records[at + 1], lists, (int) (records[at] >>> 32), skip, flow, best, rules);
                }
                if ((info & HAS_WILD) != 0) {
                    best = Candidates.first(records[at + 2], lists, (int) records[at], skip, flow, best, rules);
                }
                return best;
            }
        }
    }

    private boolean keyEquals(int slot, String name, int from) {
        int at = slot * RECORD + INFO;
        long info = records[at];
        if ((info & OVERFLOW) != 0) {
            return name.regionMatches(from, overflowKeys[slot], 0, name.length() - from)
                    && overflowKeys[slot].length() == name.length() - from;
        }
        int len = (int) info & 0xFFFF;
        if (len != name.length() - from) {
            return false;
        }
        for (int j = 0; j < len; j++) {
            int bit = KEY_SHIFT + 8 * j;
            if ((int) (records[at + (bit >>> 6)] >>> (bit & 63) & 0xFF) != name.charAt(from + j)) {
                return false;
            }
        }
        return true;
    }
}
