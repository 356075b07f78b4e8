package org.opgate.classify;

import java.util.ArrayList;
import java.util.List;
import org.opgate.flow.Flow;
import org.opgate.flow.IpAddress;
import org.opgate.flow.IpPrefix;

/**
 * Binary prefix trie over destination addresses, one root for IPv4 and one for IPv6, in flat
 * arrays. A lookup walks at most 32 or 128 nodes and tests only the rules stored on the path,
 * so its cost does not grow with the number of rules.
 */
final class CidrTrie {

    private final int[] zero;
    private final int[] one;
    private final int[][] candidates;

    private CidrTrie(int[] zero, int[] one, int[][] candidates) {
        this.zero = zero;
        this.one = one;
        this.candidates = candidates;
    }

    /** Node 0 is the IPv4 root, node 1 the IPv6 root. */
    static CidrTrie of(List<EndpointRule> rules) {
        Builder b = new Builder();
        for (EndpointRule r : rules) {
            b.add(r.cidr(), r.position());
        }
        return b.build();
    }

    int first(IpAddress a, Flow flow, int best, EndpointRule[] rules) {
        int node = a.isV4() ? 0 : 1;
        int bits = a.bitLength();
        for (int i = 0; ; i++) {
            int[] c = candidates[node];
            if (c != null) {
                best = NameTable.scan(c, flow, best, rules);
            }
            if (i == bits) {
                return best;
            }
            node = a.bit(i) == 0 ? zero[node] : one[node];
            if (node < 0) {
                return best;
            }
        }
    }

    private static final class Builder {
        private final List<int[]> children = new ArrayList<>();
        private final List<List<Integer>> cands = new ArrayList<>();

        Builder() {
            newNode();
            newNode();
        }

        private int newNode() {
            children.add(new int[] {-1, -1});
            cands.add(null);
            return children.size() - 1;
        }

        void add(IpPrefix p, int position) {
            IpAddress a = p.network();
            int node = a.isV4() ? 0 : 1;
            for (int i = 0; i < p.length(); i++) {
                int b = a.bit(i);
                int next = children.get(node)[b];
                if (next < 0) {
                    next = newNode();
                    children.get(node)[b] = next;
                }
                node = next;
            }
            if (cands.get(node) == null) {
                cands.set(node, new ArrayList<>());
            }
            cands.get(node).add(position);
        }

        CidrTrie build() {
            int n = children.size();
            int[] zero = new int[n];
            int[] one = new int[n];
            int[][] c = new int[n][];
            for (int i = 0; i < n; i++) {
                zero[i] = children.get(i)[0];
                one[i] = children.get(i)[1];
                List<Integer> l = cands.get(i);
                c[i] = l == null ? null : l.stream().mapToInt(Integer::intValue).sorted().toArray();
            }
            return new CidrTrie(zero, one, c);
        }
    }
}
