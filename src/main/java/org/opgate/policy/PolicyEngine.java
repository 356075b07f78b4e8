package org.opgate.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.opgate.classify.Classification;
import org.opgate.flow.Flow;

/**
 * (classification, flow, instant) → {@link Decision}: a pure function of its inputs, with no
 * clock and no I/O. For each policy on the flow's class that binds the flow's operator and has a
 * phase in force, the phase's action gives a verdict (allow when the flow is exempt); the most
 * restrictive enforced verdict wins, ties going to the policy declared first.
 */
public final class PolicyEngine {

    private final List<Policy> policies;
    private final Map<String, List<Policy>> byClass = new HashMap<>();
    private final Instant[] boundaries;
    /** The reason of a flow no policy restricts, per class: made once, not on every decision. */
    private final Map<String, String> noPolicyReasons = new java.util.concurrent.ConcurrentHashMap<>();

    public PolicyEngine(List<Policy> policies) {
        this.policies = List.copyOf(policies);
        TreeSet<Instant> starts = new TreeSet<>();
        for (Policy p : this.policies) {
            byClass.computeIfAbsent(p.trafficClass(), k -> new ArrayList<>()).add(p);
            p.phases().forEach(ph -> starts.add(ph.start()));
        }
        boundaries = starts.toArray(new Instant[0]);
    }

    public static final PolicyEngine NONE = new PolicyEngine(List.of());

    public List<Policy> policies() {
        return policies;
    }

    public List<Policy> policiesFor(String trafficClass) {
        return byClass.getOrDefault(trafficClass, List.of());
    }

    public Decision decide(Classification c, Flow flow, Instant at) {
        List<Policy> candidates = byClass.get(c.trafficClass());
        if (candidates == null) {
            return new Decision(Verdict.ALLOW, Verdict.ALLOW, c, null, List.of(), List.of(), noPolicy(c));
        }
        List<AppliedPolicy> applied = new ArrayList<>(candidates.size());
        List<AppliedPolicy> shadow = List.of();
        AppliedPolicy decisive = null;
        Verdict wouldBe = Verdict.ALLOW;
        for (Policy p : candidates) {
            if (!p.bindsOperator(flow.operator())) {
                continue;
            }
            int i = p.phaseIndexAt(at);
            if (i < 0) {
                continue;
            }
            String exempt = p.exemptions().reasonFor(flow);
            Verdict v = exempt != null ? Verdict.ALLOW : p.phases().get(i).action().verdict();
            AppliedPolicy a = new AppliedPolicy(p, i, v, p.phaseEnd(i), exempt);
            if (v.isMoreRestrictiveThan(wouldBe)) {
                wouldBe = v;
            }
            if (a.shadow()) {
                if (shadow.isEmpty()) {
                    shadow = new ArrayList<>(2);
                }
                shadow.add(a);
                continue;
            }
            applied.add(a);
            if (decisive == null || v.isMoreRestrictiveThan(decisive.verdict())) {
                decisive = a;
            }
        }
        if (decisive == null) {
            return new Decision(Verdict.ALLOW, wouldBe, c, null, applied, shadow, noPolicy(c));
        }
        return new Decision(decisive.verdict(), wouldBe, c, decisive, applied, shadow, decisive.reason());
    }

    private String noPolicy(Classification c) {
        String reason = noPolicyReasons.get(c.trafficClass());
        return reason != null ? reason
                : noPolicyReasons.computeIfAbsent(c.trafficClass(), k -> "no policy restricts " + k + " at this time");
    }

    /** The first phase boundary strictly after {@code t}, or null if there is none. */
    public Instant nextBoundaryAfter(Instant t) {
        int lo = 0;
        int hi = boundaries.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (boundaries[mid].isAfter(t)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo < boundaries.length ? boundaries[lo] : null;
    }

    /** Every phase boundary of every policy, ascending, without duplicates. */
    public List<Instant> boundaries() {
        return List.of(boundaries);
    }

    /** The phases that start exactly at {@code boundary}, as (policy, phase index) pairs. */
    public List<AppliedPhase> phasesStartingAt(Instant boundary) {
        List<AppliedPhase> out = new ArrayList<>();
        for (Policy p : policies) {
            for (int i = 0; i < p.phases().size(); i++) {
                if (p.phases().get(i).start().equals(boundary)) {
                    out.add(new AppliedPhase(p, i));
                }
            }
        }
        return out;
    }

    /**
     * A phase of a policy, for boundary notifications.
     *
     * @param policy the policy
     * @param index  the phase's index in it
     */
    public record AppliedPhase(Policy policy, int index) {
        public Phase phase() {
            return policy.phases().get(index);
        }
    }
}
