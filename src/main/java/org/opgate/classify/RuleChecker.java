package org.opgate.classify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opgate.flow.Flow;
import org.opgate.flow.IpPrefix;

/**
 * Finds rules that can never match (an earlier rule covers them) and rules of different classes
 * that match common flows.
 *
 * <p>Both relations need one rule's name pattern to contain the other's (or one CIDR block to
 * contain the other), so candidates come from looking up each rule's ancestors — every label
 * suffix of its names, every shorter prefix of its block — plus the port-only rules, instead of
 * comparing all pairs. Coverage is tested rule against rule; a rule covered only by the union of
 * several earlier rules is not reported.
 *
 * <p>Overlaps are reported between rules that identify the destination the same way: both by
 * name, both by address, or either by port alone (the over-blocking kind). A name rule and an
 * address rule for the same service are complementary by design and not reported.
 */
public final class RuleChecker {

    private RuleChecker() {
    }

    public static List<Finding> check(RuleSet ruleSet) {
        Ancestors index = new Ancestors(ruleSet);
        List<Finding> findings = new ArrayList<>();
        Set<Long> reported = new HashSet<>();
        for (EndpointRule b : ruleSet.rules()) {
            Set<EndpointRule> candidates = index.of(b);
            EndpointRule coverer = null;
            for (EndpointRule a : candidates) {
                if (a.position() < b.position() && covers(a, b)
                        && (coverer == null || a.position() < coverer.position())) {
                    coverer = a;
                }
            }
            if (coverer != null) {
                reported.add(pairKey(coverer, b));
                findings.add(new Finding(Finding.Kind.SHADOWED, b, coverer, shadowMessage(b, coverer)));
            }
            for (EndpointRule a : candidates) {
                if (a == b || a.trafficClass().equals(b.trafficClass()) || !comparable(a, b)) {
                    continue;
                }
                EndpointRule first = a.position() < b.position() ? a : b;
                EndpointRule second = first == a ? b : a;
                if (!reported.contains(pairKey(first, second)) && intersects(a, b)) {
                    reported.add(pairKey(first, second));
                    findings.add(new Finding(Finding.Kind.OVERLAP, second, first, overlapMessage(second, first)));
                }
            }
        }
        findings.sort((x, y) -> Integer.compare(x.rule().position(), y.rule().position()));
        return findings;
    }

    /**
     * One flow for each pair of rules, of any classes, that match it both: where first-match order
     * decides between them, so where reordering or changing either shows. Pairs are those
     * {@link #check} compares (both by name, both by address, or one by port alone).
     */
    public static List<SharedFlow> sharedFlows(RuleSet ruleSet) {
        Ancestors index = new Ancestors(ruleSet);
        List<SharedFlow> out = new ArrayList<>();
        for (EndpointRule b : ruleSet.rules()) {
            for (EndpointRule a : index.of(b)) {
                Flow f = a == b || !comparable(a, b) ? null : witnessFlow(a, b);
                if (f != null) {
                    out.add(a.position() < b.position() ? new SharedFlow(f, a, b) : new SharedFlow(f, b, a));
                }
            }
        }
        return out;
    }

    /** A flow that two rules both match; {@code first} wins it. */
    public record SharedFlow(Flow flow, EndpointRule first, EndpointRule second) {
    }

    /**
     * The rules that can contain a rule: those under every label suffix of its names, under every
     * shorter prefix of its block, and the port-only ones.
     */
    private static final class Ancestors {
        private final Map<String, List<EndpointRule>> byName = new HashMap<>();
        private final Map<IpPrefix, List<EndpointRule>> byCidr = new HashMap<>();
        private final List<EndpointRule> portOnly = new ArrayList<>();

        Ancestors(RuleSet ruleSet) {
            for (EndpointRule r : ruleSet.rules()) {
                for (HostPattern p : names(r)) {
                    byName.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(r);
                }
                if (r.cidr() != null) {
                    byCidr.computeIfAbsent(r.cidr(), k -> new ArrayList<>()).add(r);
                }
                if (r.isPortOnly()) {
                    portOnly.add(r);
                }
            }
        }

        Set<EndpointRule> of(EndpointRule b) {
            Set<EndpointRule> candidates = new LinkedHashSet<>();
            for (HostPattern p : names(b)) {
                String n = p.name();
                for (int i = 0; i >= 0; i = n.indexOf('.', i) < 0 ? -1 : n.indexOf('.', i) + 1) {
                    candidates.addAll(byName.getOrDefault(n.substring(i), List.of()));
                }
            }
            if (b.cidr() != null) {
                for (int len = 0; len <= b.cidr().length(); len++) {
                    candidates.addAll(byCidr.getOrDefault(b.cidr().truncate(len), List.of()));
                }
            }
            candidates.addAll(portOnly);
            return candidates;
        }
    }

    private static long pairKey(EndpointRule first, EndpointRule second) {
        return ((long) first.position() << 32) | second.position();
    }

    private static List<HostPattern> names(EndpointRule r) {
        List<HostPattern> out = new ArrayList<>(2);
        if (r.host() != null) {
            out.add(r.host());
        }
        if (r.sni() != null) {
            out.add(r.sni());
        }
        return out;
    }

    /** True if every flow that {@code b} matches is matched by {@code a}. */
    static boolean covers(EndpointRule a, EndpointRule b) {
        if (a.host() != null) {
            // a's host is satisfied by the requested host or the SNI, so either of b's names will do.
            boolean viaHost = b.host() != null && a.host().contains(b.host());
            boolean viaSni = b.sni() != null && a.host().contains(b.sni());
            if (!viaHost && !viaSni) {
                return false;
            }
        }
        if (a.sni() != null && (b.sni() == null || !a.sni().contains(b.sni()))) {
            return false;
        }
        if (a.cidr() != null && (b.cidr() == null || !a.cidr().contains(b.cidr()))) {
            return false;
        }
        return a.ports() == null || (b.ports() != null && a.ports().containsAll(b.ports()));
    }

    private static boolean comparable(EndpointRule a, EndpointRule b) {
        return (a.hasName() && b.hasName()) || (a.cidr() != null && b.cidr() != null)
                || a.isPortOnly() || b.isPortOnly();
    }

    /** True if a flow whose requested host and SNI are the same name can match both rules. */
    static boolean intersects(EndpointRule a, EndpointRule b) {
        return witness(a, b) != null;
    }

    /** An example flow matching both rules, as text, or null if there is none. */
    static String witness(EndpointRule a, EndpointRule b) {
        Flow f = witnessFlow(a, b);
        if (f == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        if (f.host() != null) {
            sb.append("host ").append(f.host()).append(' ');
        }
        if (f.sni() != null) {
            // An sni rule needs the name in the ClientHello too, or the example matches one rule only.
            sb.append("sni ").append(f.sni()).append(' ');
        }
        if (f.ip() != null) {
            sb.append("ip ").append(f.ip()).append(' ');
        }
        return sb.append("port ").append(f.port()).toString();
    }

    /**
     * A flow matching both rules, or null if there is none: the longest of their names (as host,
     * and as SNI too when either rule has an sni), the network of the smaller block, the first
     * common port (else the first port of either, else 443).
     */
    public static Flow witnessFlow(EndpointRule a, EndpointRule b) {
        List<HostPattern> all = new ArrayList<>(names(a));
        all.addAll(names(b));
        String name = null;
        for (HostPattern p : all) {
            if (name == null || p.name().length() > name.length()) {
                name = p.name();
            }
        }
        for (HostPattern p : all) {
            if (!p.matches(name)) {
                return null;
            }
        }
        IpPrefix block = null;
        if (a.cidr() != null && b.cidr() != null) {
            if (!a.cidr().intersects(b.cidr())) {
                return null;
            }
            block = a.cidr().length() >= b.cidr().length() ? a.cidr() : b.cidr();
        } else if (a.cidr() != null || b.cidr() != null) {
            block = a.cidr() != null ? a.cidr() : b.cidr();
        }
        int port;
        if (a.ports() != null && b.ports() != null) {
            port = a.ports().firstCommon(b.ports());
            if (port < 0) {
                return null;
            }
        } else {
            port = a.ports() != null ? a.ports().first() : b.ports() != null ? b.ports().first() : 443;
        }
        boolean sni = a.sni() != null || b.sni() != null;
        return new Flow(name, sni ? name : null, block == null ? null : block.network(), port, null, null, null,
                null, null);
    }

    private static String shadowMessage(EndpointRule b, EndpointRule a) {
        String where = " at " + a.location().fileAndLine();
        if (a.trafficClass().equals(b.trafficClass())) {
            return "rule '" + b.id() + "' (" + b.trafficClass() + ") is redundant: rule '" + a.id() + "'" + where
                    + " of the same class comes first and matches every flow it would";
        }
        return "rule '" + b.id() + "' (" + b.trafficClass() + ") can never match: rule '" + a.id() + "' ("
                + a.trafficClass() + ")" + where + " comes first and matches every flow it would";
    }

    private static String overlapMessage(EndpointRule later, EndpointRule earlier) {
        return "rule '" + later.id() + "' (" + later.trafficClass() + ") overlaps rule '" + earlier.id() + "' ("
                + earlier.trafficClass() + ") at " + earlier.location().fileAndLine() + ": "
                + witness(earlier, later) + " matches both; first match gives " + earlier.trafficClass();
    }
}
