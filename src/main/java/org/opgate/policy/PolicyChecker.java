package org.opgate.policy;

import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.opgate.classify.Classification;
import org.opgate.classify.EndpointRule;
import org.opgate.classify.Finding;
import org.opgate.classify.RuleSet;
import org.opgate.flow.IpPrefix;

/**
 * Reports what a valid policy set may not do as its author meant: phase times that fall in a
 * DST gap or overlap (with the instant that will be used), policies that can never apply, and
 * overlapping exemptions. Errors (unknown classes or operators, phases out of order) are caught
 * when the config is loaded.
 */
public final class PolicyChecker {

    private PolicyChecker() {
    }

    /**
     * @param ruleFindings the rule set's own findings, to know which rules can never match
     */
    public static List<PolicyFinding> check(List<Policy> policies, RuleSet rules, List<Finding> ruleFindings) {
        Set<EndpointRule> dead = new java.util.HashSet<>();
        for (Finding f : ruleFindings) {
            if (f.kind() == Finding.Kind.SHADOWED) {
                dead.add(f.rule());
            }
        }
        List<PolicyFinding> out = new ArrayList<>();
        for (Policy p : policies) {
            localTimes(p, out);
            if (!p.trafficClass().equals(Classification.OTHER_CLASS)) {
                List<EndpointRule> live = rules.rulesOf(p.trafficClass()).stream().filter(r -> !dead.contains(r)).toList();
                if (live.isEmpty()) {
                    out.add(new PolicyFinding(PolicyFinding.Kind.NEVER_APPLIES, p.location(), "policy '" + p.id()
                            + "' can never apply: no rule can put a flow in class " + p.trafficClass()));
                }
            }
            if (p.phases().stream().allMatch(ph -> ph.action() == Action.ALLOW)) {
                out.add(new PolicyFinding(PolicyFinding.Kind.NEVER_APPLIES, p.location(), "policy '" + p.id()
                        + "' never changes anything: every phase allows"));
            }
            List<IpPrefix> pools = p.exemptions().pools();
            for (int i = 0; i < pools.size(); i++) {
                for (int j = i + 1; j < pools.size(); j++) {
                    if (pools.get(i).intersects(pools.get(j))) {
                        out.add(new PolicyFinding(PolicyFinding.Kind.OVERLAPPING_EXEMPTIONS, p.location(), "policy '"
                                + p.id() + "': exempt pools " + pools.get(i) + " and " + pools.get(j) + " overlap"));
                    }
                }
            }
        }
        return out;
    }

    private static void localTimes(Policy p, List<PolicyFinding> out) {
        for (Phase ph : p.phases()) {
            var rules = p.zone().getRules();
            int offsets = rules.getValidOffsets(ph.from()).size();
            if (offsets == 1) {
                continue;
            }
            ZoneOffsetTransition t = rules.getTransition(ph.from());
            ZonedDateTime used = ZonedDateTime.ofInstant(ph.start(), p.zone());
            String what = offsets == 0
                    ? "does not exist in " + p.zone() + " (clocks skip from " + t.getDateTimeBefore().toLocalTime()
                    + " to " + t.getDateTimeAfter().toLocalTime() + ")"
                    : "occurs twice in " + p.zone() + " (clocks go back from " + t.getDateTimeBefore().toLocalTime()
                    + " to " + t.getDateTimeAfter().toLocalTime() + "); the earlier one is used";
            out.add(new PolicyFinding(PolicyFinding.Kind.LOCAL_TIME, ph.location(), "policy '" + p.id() + "' phase '"
                    + ph.name() + "': local time " + ph.from() + " " + what + "; the phase starts at " + used
                    .toOffsetDateTime() + " (" + ph.start() + ")"));
        }
    }
}
