package org.opgate.classify;

import java.util.ArrayList;
import java.util.List;
import org.opgate.flow.Flow;

/**
 * Why a flow got its class: the winning rule's field checks, the near misses (rules whose name
 * or address matched but another field did not), and later rules that matched too but lost to
 * first-match order.
 *
 * @param flow           the flow explained
 * @param classification the result
 * @param winner         the winning rule's trace, or null for {@code OTHER}
 * @param nearMisses     near misses in rule order, at most the limit given
 * @param moreNearMisses how many near misses were left out
 * @param alsoMatched    later rules that match the whole flow (shadowed for this flow)
 */
public record Explanation(Flow flow, Classification classification, RuleTrace winner, List<RuleTrace> nearMisses,
                          int moreNearMisses, List<RuleTrace> alsoMatched) {

    /**
     * Traces every rule in order against {@code flow}. This is the reference first-match walk;
     * the result's class is, by construction, the one {@link LinearClassifier} gives.
     */
    public static Explanation of(RuleSet rules, Flow flow, int maxNearMisses) {
        RuleTrace winner = null;
        List<RuleTrace> near = new ArrayList<>();
        List<RuleTrace> also = new ArrayList<>();
        int more = 0;
        for (EndpointRule r : rules.rules()) {
            RuleTrace t = RuleTrace.of(r, flow);
            if (t.matched()) {
                if (winner == null) {
                    winner = t;
                } else {
                    also.add(t);
                }
            } else if (t.identityMatched()) {
                if (near.size() < maxNearMisses) {
                    near.add(t);
                } else {
                    more++;
                }
            }
        }
        Classification c = winner == null ? Classification.OTHER : Classification.of(winner.rule());
        return new Explanation(flow, c, winner, near, more, also);
    }
}
