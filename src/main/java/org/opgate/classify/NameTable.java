package org.opgate.classify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opgate.classify.IndexedClassifier.Candidates;
import org.opgate.flow.Flow;
import org.opgate.flow.NameKey;

/**
 * Host-pattern index for {@code host} and {@code sni} rules together: an open-addressing hash
 * table keyed by name, probed for the full name and for every label suffix that some
 * {@code *.key} has the length of, without allocating. A flow's names arrive as {@link NameKey}s,
 * packed eight characters to a word aligned to the name's end, so each suffix is hashed and
 * compared a word at a time, and the suffixes to probe are one AND of two bit sets (the name's
 * label-suffix lengths and the wildcard keys' lengths). Lookup cost depends on the name's
 * length, not on the number of rules.
 *
 * <p>Layout, chosen for a 100,000-rule table that does not fit in the cache, where every line
 * touched costs a memory round trip (about 200 ns on the benchmark machine):
 * <ul>
 *   <li>{@code tags}: one byte of the key's hash per slot (0 = empty), 128 KB at 100,000 rules,
 *       small enough to stay cached; a probe for a name that is not a key ends here;</li>
 *   <li>{@code records}: one 64-byte record per slot, reached only on a tag match, holding the
 *       key's words (up to {@link #INLINE} characters) and the first exact-name and first
 *       {@code *.key} candidate with its port range, so that a hit usually reads this one record
 *       and nothing else; further candidates are in {@code lists}. The candidates come first,
 *       so that the fields a hit reads share a cache line wherever the record starts;</li>
 *   <li>{@code answers}: the classification of each slot's first exact and first wild
 *       candidate (null for none), read as soon as the tag matches, in parallel with the
 *       record.</li>
 * </ul>
 */
final class NameTable {

    /** Longs per record: info, first exact, first wild, four key words, rest-list starts. */
    private static final int RECORD = 8;
    /**
     * Longs before the first record: with the 16-byte array header, records start on a 64-byte
     * line when the array does, as G1 places arrays of a region's size or more.
     */
    private static final int PAD = 6;
    private static final int EXACT = 1;
    private static final int WILD = 2;
    private static final int WORDS = 3;
    private static final int RESTS = 7;
    /** Key characters held in a record. */
    static final int INLINE = 8 * NameKey.INLINE_WORDS;
    private static final long LENGTH = 0xFFFF;
    /** The key is longer than {@link #INLINE} or has a character outside 1..0xFF: compared as a String. */
    private static final long OVERFLOW = 1L << 16;

    private final byte[] tags;
    private final long[] records;
    /** Keys of overflow records by slot, else null. */
    private final String[] overflowKeys;
    /** Classification of the first exact and first wild candidate by slot ({@code 2 * slot + kind}). */
    private final Classification[] answers;
    private final int[] lists;
    private final EndpointRule[] rules;
    private final int mask;
    private final int maxKeyLength;
    /** Bit {@code n} is set if some {@code *.key} has length {@code n}. */
    private final long[] wildLengths;

    private NameTable(Map<String, List<Integer>> exactRules, Map<String, List<Integer>> wildRules,
                      EndpointRule[] rules, Classification[] results) {
        this.rules = rules;
        Map<String, Slot> keys = new LinkedHashMap<>();
        Candidates.Builder lists = new Candidates.Builder();
        exactRules.forEach((k, l) -> keys.computeIfAbsent(k, x -> new Slot()).exact = Candidates.toArray(l));
        wildRules.forEach((k, l) -> keys.computeIfAbsent(k, x -> new Slot()).wild = Candidates.toArray(l));
        int cap = Integer.highestOneBit(Math.max(4, keys.size() * 2 - 1)) << 1;
        tags = new byte[cap];
        records = new long[PAD + cap * RECORD];
        overflowKeys = new String[cap];
        answers = new Classification[2 * cap];
        mask = cap - 1;
        int maxKey = 0;
        for (String k : keys.keySet()) {
            maxKey = Math.max(maxKey, k.length());
        }
        maxKeyLength = maxKey;
        wildLengths = new long[(maxKey >>> 6) + 1];
        for (String k : wildRules.keySet()) {
            wildLengths[k.length() >>> 6] |= 1L << k.length();
        }
        for (Map.Entry<String, Slot> e : keys.entrySet()) {
            NameKey k = NameKey.of(e.getKey());
            Slot s = e.getValue();
            long h = hash(k, k.length());
            int slot = (int) h & mask;
            while (tags[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            tags[slot] = tag(h);
            int at = PAD + slot * RECORD;
            long info = k.length();
            int exactRest = 0;
            int wildRest = 0;
            if (s.exact != null) {
                records[at + EXACT] = Candidates.entry(s.exact, 0);
                answers[2 * slot] = results[s.exact[0] & Candidates.POSITION];
                exactRest = lists.add(Arrays.copyOfRange(s.exact, 2, s.exact.length));
            }
            if (s.wild != null) {
                records[at + WILD] = Candidates.entry(s.wild, 0);
                answers[2 * slot + 1] = results[s.wild[0] & Candidates.POSITION];
                wildRest = lists.add(Arrays.copyOfRange(s.wild, 2, s.wild.length));
            }
            records[at + RESTS] = (long) exactRest << 32 | wildRest & 0xFFFF_FFFFL;
            if (fitsInline(e.getKey())) {
                for (int j = 0; j < NameKey.INLINE_WORDS; j++) {
                    records[at + WORDS + j] = k.word(j);
                }
            } else {
                info |= OVERFLOW;
                overflowKeys[slot] = e.getKey();
            }
            records[at] = info;
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
            char c = k.charAt(j);
            if (c == 0 || c > 0xFF) {
                return false;
            }
        }
        return true;
    }

    /**
     * Builds the table from rules that have a {@code host} or {@code sni} field. A rule is keyed
     * by its {@code host} if it has one, else by its {@code sni} (flagged
     * {@link Candidates#SNI_FIELD}, so probes with the requested host pass it over).
     *
     * @param results the classification of each rule, by position
     */
    static NameTable of(List<EndpointRule> rules, EndpointRule[] all, Classification[] results) {
        Map<String, List<Integer>> exactRules = new LinkedHashMap<>();
        Map<String, List<Integer>> wildRules = new LinkedHashMap<>();
        for (EndpointRule r : rules) {
            boolean byHost = r.host() != null;
            HostPattern p = byHost ? r.host() : r.sni();
            boolean othersTested = byHost ? r.sni() == null && r.cidr() == null : r.cidr() == null;
            List<Integer> list = (p.wildcard() ? wildRules : exactRules).computeIfAbsent(p.name(), k -> new ArrayList<>());
            Candidates.append(list, r, byHost ? 0 : Candidates.SNI_FIELD, othersTested);
        }
        return new NameTable(exactRules, wildRules, all, results);
    }

    /** The answer at {@code index} ({@code 2 * slot + kind}). */
    Classification answer(int index) {
        return answers[index];
    }

    /** Weight of word {@code j} in a key's hash: distinct odd constants. */
    private static long weight(int j) {
        return 0x9E3779B97F4A7C15L * (2L * j + 1);
    }

    /**
     * Hash of the last {@code len} characters of {@code k}: its words, masked to those characters,
     * weighted and summed, then mixed.
     */
    private static long hash(NameKey k, int len) {
        if (len <= INLINE) {
            return mix(len + (k.w0() & NameKey.byteMask(len)) * weight(0)
                    + (k.w1() & NameKey.byteMask(len - 8)) * weight(1)
                    + (k.w2() & NameKey.byteMask(len - 16)) * weight(2)
                    + (k.w3() & NameKey.byteMask(len - 24)) * weight(3));
        }
        long h = len;
        for (int j = 0; 8 * j < len; j++) {
            h += (k.word(j) & NameKey.byteMask(len - 8 * j)) * weight(j);
        }
        return mix(h);
    }

    /** Murmur3's finaliser: the slot comes from the low bits, the tag from the top. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }

    /** A tag in 1..127: 0 marks an empty slot. */
    private static byte tag(long mixed) {
        return (byte) (mixed >>> 57 | 1);
    }

    /**
     * The best of {@code best} and the rules keyed by {@code name} or one of its label suffixes
     * that match the whole flow. Candidates with a flag in {@code skip} are passed over.
     */
    long first(NameKey name, int skip, Flow flow, long best) {
        int n = name.length();
        boolean whole = n <= maxKeyLength;
        int blocks = Math.min(wildLengths.length, (n >>> 6) + 1);
        for (int b = 0; b < blocks; b++) {
            for (long m = name.labels(b) & wildLengths[b]; m != 0; m &= m - 1) {
                best = probe(name, (b << 6) + Long.numberOfTrailingZeros(m), false, skip, flow, best);
            }
        }
        return whole ? probe(name, n, true, skip, flow, best) : best;
    }

    /** Looks up the last {@code len} characters of {@code name}; exact-name rules count only if that is all of it. */
    private long probe(NameKey name, int len, boolean whole, int skip, Flow flow, long best) {
        long m0 = name.w0() & NameKey.byteMask(len);
        long m1 = name.w1() & NameKey.byteMask(len - 8);
        long m2 = name.w2() & NameKey.byteMask(len - 16);
        long m3 = name.w3() & NameKey.byteMask(len - 24);
        long h = hash(name, len);
        byte tag = tag(h);
        for (int slot = (int) h & mask; ; slot = (slot + 1) & mask) {
            byte t = tags[slot];
            if (t == 0) {
                return best;
            }
            if (t != tag) {
                continue;
            }
            // The answers are read before the record is compared: neither load waits for the other.
            Classification exact = answers[2 * slot];
            Classification wild = answers[2 * slot + 1];
            int at = PAD + slot * RECORD;
            long info = records[at];
            boolean same = (info & (OVERFLOW | LENGTH)) == len
                    ? ((m0 ^ records[at + WORDS]) | (m1 ^ records[at + WORDS + 1])
                            | (m2 ^ records[at + WORDS + 2]) | (m3 ^ records[at + WORDS + 3])) == 0
                    : (info & OVERFLOW) != 0 && overflowEquals(slot, name, len);
            if (same) {
                int answer = Candidates.NAMES | 2 * slot;
                if (whole && exact != null) {
                    best = Candidates.first(records[at + EXACT], answer, lists, (int) (records[at + RESTS] >>> 32),
                            skip, flow, best, rules);
                }
                if (wild != null) {
                    best = Candidates.first(records[at + WILD], answer + 1, lists, (int) records[at + RESTS],
                            skip, flow, best, rules);
                }
                return best;
            }
        }
    }

    private boolean overflowEquals(int slot, NameKey name, int len) {
        String key = overflowKeys[slot];
        return key.length() == len && name.name().regionMatches(name.length() - len, key, 0, len);
    }
}
