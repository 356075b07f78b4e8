package org.opgate.classify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opgate.flow.Flow;
import org.opgate.flow.IpAddress;
import org.opgate.flow.NameKey;

/**
 * The compiled classifier. Each rule is filed once under its most selective field — {@code host}
 * or {@code sni} in one name table (probed with the requested host and the SNI), else
 * {@code cidr} in a prefix index, else its ports in a per-port table. The answer is the lowest
 * rule position among all matching candidates, which is exactly the first match of
 * {@link LinearClassifier}, at a cost independent of the number of rules.
 *
 * <p>Candidates carry what is left to test besides the field they were found by: usually
 * nothing or one port range, tested inline, so the rule objects are not touched (at 100,000
 * rules every pointer followed is a likely cache miss). Rules with more fields are re-checked
 * with {@link EndpointRule#matches}.
 *
 * <p>Immutable and thread-safe; {@link #classify} allocates nothing.
 */
public final class IndexedClassifier implements Classifier {

    static final int NO_MATCH = Integer.MAX_VALUE;

    private final EndpointRule[] rules;
    /** Classification of each rule by position: the answers of listed candidates. */
    private final Classification[] results;
    private final NameTable names;
    private final CidrTrie cidrs;
    /** First port-only rule per port, or null when there are none. */
    private final int[] portOnly;

    public IndexedClassifier(RuleSet ruleSet) {
        rules = ruleSet.rules().toArray(new EndpointRule[0]);
        if (rules.length > Candidates.POSITION) {
            throw new IllegalArgumentException(rules.length + " rules (expected: at most " + Candidates.POSITION + ")");
        }
        results = new Classification[rules.length];
        List<EndpointRule> byName = new ArrayList<>();
        List<EndpointRule> byCidr = new ArrayList<>();
        int[] ports = null;
        for (EndpointRule r : rules) {
            results[r.position()] = Classification.of(r);
            if (r.host() != null || r.sni() != null) {
                byName.add(r);
            } else if (r.cidr() != null) {
                byCidr.add(r);
            } else {
                if (ports == null) {
                    ports = new int[65536];
                    Arrays.fill(ports, NO_MATCH);
                }
                int[] table = ports;
                int pos = r.position();
                r.ports().forEachRange((lo, hi) -> {
                    for (int p = lo; p <= hi; p++) {
                        table[p] = Math.min(table[p], pos);
                    }
                });
            }
        }
        names = NameTable.of(byName, rules, results);
        cidrs = CidrTrie.of(byCidr, rules, results);
        portOnly = ports;
    }

    @Override
    public Classification classify(Flow flow) {
        long best = Candidates.NONE;
        if (portOnly != null) {
            int pos = portOnly[flow.port()];
            if (pos != NO_MATCH) {
                best = Candidates.found(pos, pos);
            }
        }
        NameKey host = flow.hostKey();
        NameKey sni = flow.sniKey();
        if (sni != null) {
            // host patterns match the requested host or the SNI, sni patterns only the SNI.
            if (host != null && !host.equals(sni)) {
                best = names.first(host, Candidates.SNI_FIELD, flow, best);
            }
            best = names.first(sni, 0, flow, best);
        } else if (host != null) {
            best = names.first(host, Candidates.SNI_FIELD, flow, best);
        }
        IpAddress ip = flow.ip();
        if (ip != null) {
            best = cidrs.first(ip, flow, best);
        }
        if (best == Candidates.NONE) {
            return Classification.OTHER;
        }
        int answer = (int) best;
        int i = answer & Candidates.INDEX;
        return switch (answer & ~Candidates.INDEX) {
            case Candidates.NAMES -> names.answer(i);
            case Candidates.CIDRS -> cidrs.answer(i);
            default -> results[i];
        };
    }

    /**
     * Candidate lists packed in one int array: at a list's start its length {@code n}, then
     * {@code n} entries of two ints in ascending rule position. The first int is the position,
     * with {@link #SNI_FIELD} set for rules found by their {@code sni} field; the second is what
     * remains to test: the inclusive port range as {@code lo << 16 | hi} ({@code 0..65535} for
     * any port), or {@link #CHECK_RULE} to call {@link EndpointRule#matches}. Start 0 is the
     * empty list, so a missing list costs no branch.
     *
     * <p>A lookup's best match so far is one long: the rule position in the high half, so the
     * lowest position is the smallest value, and where its answer is in the low half
     * ({@link #NONE} for no match). Listed entries answer by their position; the first candidate
     * of a table slot answers from the table's own array at the slot's index ({@link #NAMES},
     * {@link #CIDRS}), known as soon as the slot is, so that the answer and the slot's record are
     * read in parallel instead of one after the other.
     */
    static final class Candidates {

        static final int SNI_FIELD = 1 << 30;
        static final int POSITION = SNI_FIELD - 1;
        static final int CHECK_RULE = 0;
        private static final int ANY_PORT = 0xFFFF;

        static final long NONE = Long.MAX_VALUE;
        /** Answer kinds in the top two bits of an answer, the index below them. */
        static final int INDEX = (1 << 30) - 1;
        static final int NAMES = 1 << 30;
        static final int CIDRS = 2 << 30;

        private Candidates() {
        }

        static long found(int position, int answer) {
            return (long) position << 32 | answer & 0xFFFF_FFFFL;
        }

        static int position(long best) {
            return (int) (best >>> 32);
        }

        /**
         * The best of {@code best} and the first listed rule that matches the flow. Entries with
         * a flag in {@code skip} are passed over.
         */
        static long scan(int[] lists, int start, int skip, Flow flow, long best, EndpointRule[] rules) {
            int end = start + 1 + 2 * lists[start];
            int limit = position(best);
            for (int k = start + 1; k < end; k += 2) {
                int head = lists[k];
                int pos = head & POSITION;
                if (pos >= limit) {
                    break;
                }
                if ((head & skip) != 0) {
                    continue;
                }
                if (admits(lists[k + 1], pos, flow, rules)) {
                    return found(pos, pos);
                }
            }
            return best;
        }

        /**
         * Like {@link #scan}, for a list whose first entry is held elsewhere as one long
         * ({@link #entry}), answered by {@code answer}, and whose other entries start at
         * {@code rest} in {@code lists}.
         */
        static long first(long entry, int answer, int[] lists, int rest, int skip, Flow flow, long best,
                          EndpointRule[] rules) {
            int head = (int) (entry >>> 32);
            int pos = head & POSITION;
            if (pos >= position(best)) {
                return best;
            }
            if ((head & skip) == 0 && admits((int) entry, pos, flow, rules)) {
                return found(pos, answer);
            }
            return scan(lists, rest, skip, flow, best, rules);
        }

        /** Entry {@code i} of a pair array as one long: the head in the high half. */
        static long entry(int[] entries, int i) {
            return (long) entries[2 * i] << 32 | entries[2 * i + 1] & 0xFFFF_FFFFL;
        }

        /** True if the rule at {@code pos}, found by one of its fields, matches: see the entry format. */
        static boolean admits(int ports, int pos, Flow flow, EndpointRule[] rules) {
            if (ports == CHECK_RULE) {
                return rules[pos].matches(flow);
            }
            int port = flow.port();
            return port >= ports >>> 16 && port <= (ports & 0xFFFF);
        }

        /** Appends lists to a growing int array; identical lists are stored once. */
        static final class Builder {
            private int[] data = new int[64];
            private int size = 1;
            private final Map<Key, Integer> seen = new HashMap<>();

            /**
             * Adds one entry list (pairs as described above, ascending) and returns its start.
             */
            int add(int[] entries) {
                if (entries.length == 0) {
                    return 0;
                }
                return seen.computeIfAbsent(new Key(entries), k -> {
                    int start = size;
                    int need = size + 1 + entries.length;
                    if (need > data.length) {
                        data = Arrays.copyOf(data, Math.max(need, data.length * 2));
                    }
                    data[size] = entries.length / 2;
                    System.arraycopy(entries, 0, data, size + 1, entries.length);
                    size = need;
                    return start;
                });
            }

            int[] build() {
                return Arrays.copyOf(data, size);
            }
        }

        /**
         * The entry for {@code rule} found by one of its fields; {@code othersTested} says
         * whether finding it proves every field except {@code ports}.
         */
        static void append(List<Integer> out, EndpointRule rule, int flags, boolean othersTested) {
            out.add(rule.position() | flags);
            out.add(othersTested ? portsOf(rule.ports()) : CHECK_RULE);
        }

        private static int portsOf(PortSet ports) {
            if (ports == null) {
                return ANY_PORT;
            }
            List<int[]> ranges = new ArrayList<>(1);
            ports.forEachRange((lo, hi) -> ranges.add(new int[] {lo, hi}));
            return ranges.size() == 1 ? ranges.get(0)[0] << 16 | ranges.get(0)[1] : CHECK_RULE;
        }

        static int[] toArray(List<Integer> entries) {
            int[] a = new int[entries.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = entries.get(i);
            }
            return a;
        }

        private record Key(int[] entries) {
            @Override
            public boolean equals(Object o) {
                return o instanceof Key k && Arrays.equals(k.entries, entries);
            }

            @Override
            public int hashCode() {
                return Arrays.hashCode(entries);
            }
        }
    }
}
