package org.opgate.classify;

import java.util.ArrayList;
import java.util.List;
import org.opgate.flow.Flow;

/**
 * A rule's fields compared one by one with a flow.
 *
 * @param rule   the rule
 * @param checks one check per field the rule has, in field order
 */
public record RuleTrace(EndpointRule rule, List<FieldCheck> checks) {

    public RuleTrace {
        checks = List.copyOf(checks);
    }

    /** Compares every field of {@code rule} with {@code flow}, in the same way as {@link EndpointRule#matches}. */
    public static RuleTrace of(EndpointRule rule, Flow flow) {
        List<FieldCheck> checks = new ArrayList<>(4);
        if (rule.host() != null) {
            HostPattern p = rule.host();
            if (p.matches(flow.host())) {
                checks.add(new FieldCheck("host", p.toString(), "host " + flow.host(), true));
            } else if (p.matches(flow.sni())) {
                checks.add(new FieldCheck("host", p.toString(), "sni " + flow.sni(), true));
            } else {
                checks.add(new FieldCheck("host", p.toString(), names(flow), false));
            }
        }
        if (rule.sni() != null) {
            checks.add(new FieldCheck("sni", rule.sni().toString(),
                    flow.sni() == null ? "no SNI" : "sni " + flow.sni(), rule.sni().matches(flow.sni())));
        }
        if (rule.cidr() != null) {
            checks.add(new FieldCheck("cidr", rule.cidr().toString(),
                    flow.ip() == null ? "no address" : "ip " + flow.ip(), rule.cidr().contains(flow.ip())));
        }
        if (rule.ports() != null) {
            checks.add(new FieldCheck("ports", rule.ports().toString(), "port " + flow.port(),
                    rule.ports().contains(flow.port())));
        }
        return new RuleTrace(rule, checks);
    }

    private static String names(Flow flow) {
        if (flow.host() == null && flow.sni() == null) {
            return flow.ip() != null ? "address " + flow.ip() + " (addresses match cidr, not host)" : "no name";
        }
        if (flow.sni() == null) {
            return "host " + flow.host();
        }
        return flow.host() == null ? "sni " + flow.sni() : "host " + flow.host() + ", sni " + flow.sni();
    }

    public boolean matched() {
        return checks.stream().allMatch(FieldCheck::matched);
    }

    /** True if a name or address field matched, though the rule as a whole may not. */
    public boolean identityMatched() {
        return checks.stream().anyMatch(c -> c.matched() && !c.field().equals("ports"));
    }
}
