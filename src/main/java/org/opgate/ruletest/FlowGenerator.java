package org.opgate.ruletest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opgate.classify.EndpointRule;
import org.opgate.classify.HostPattern;
import org.opgate.classify.RuleChecker;
import org.opgate.classify.RuleSet;
import org.opgate.flow.Flow;
import org.opgate.flow.IpAddress;

/**
 * Flows that probe rule sets where a change is most likely to show: for every rule, its own
 * endpoint, its edges, and its near misses.
 *
 * <ul>
 *   <li><b>endpoint</b>: the rule's host or SNI name (for {@code *.suffix}, the suffix itself),
 *       the network address of its CIDR block, its first port ({@value #DEFAULT_PORT} when the
 *       rule has no ports);</li>
 *   <li><b>edges</b>: the first and last port of each port range, the last address of the block;</li>
 *   <li><b>near misses</b>: each range's port - 1 and port + 1 (when outside the rule's ports),
 *       the address before and after the block, a sibling name next to the suffix or name
 *       ({@code not-srp.blackberry.com} for {@code *.srp.blackberry.com}), the parent of a
 *       wildcard's suffix ({@code blackberry.com}), and a child of an exact name
 *       ({@code www.alltel.blackberry.com}).</li>
 *   <li><b>shared</b>: for two rules of one rule set that match common flows (both by name, both
 *       by address, or one by port alone), a flow they both match ({@code api.example.com} on a
 *       port of {@code *.example.com}'s range), where reordering or changing either shows.</li>
 * </ul>
 *
 * Each near miss changes one field of the endpoint flow. Duplicates (same host, SNI, address and
 * port) are kept once, with the first source.
 */
public final class FlowGenerator {

    /** The port of flows for rules that match any port. */
    public static final int DEFAULT_PORT = 443;

    private FlowGenerator() {
    }

    public static List<DiffFlow> fromRules(List<RuleSet> ruleSets) {
        Map<Key, DiffFlow> out = new LinkedHashMap<>();
        for (RuleSet set : ruleSets) {
            for (EndpointRule r : set.rules()) {
                generate(r, out);
            }
        }
        for (RuleSet set : ruleSets) {
            for (RuleChecker.SharedFlow s : RuleChecker.sharedFlows(set)) {
                Flow f = s.flow();
                add(out, f.host(), f.sni(), f.ip(), f.port(), s.first().id() + " and " + s.second().id()
                        + ": matched by both, first match decides");
            }
        }
        return new ArrayList<>(out.values());
    }

    private static void generate(EndpointRule r, Map<Key, DiffFlow> out) {
        String host = r.host() == null ? null : r.host().name();
        String sni = r.sni() == null ? null : r.sni().name();
        IpAddress ip = r.cidr() == null ? null : r.cidr().network();
        int port = r.ports() == null ? DEFAULT_PORT : r.ports().first();
        String id = r.id() + ": ";
        add(out, host, sni, ip, port, id + "endpoint");
        if (r.ports() != null) {
            r.ports().forEachRange((lo, hi) -> {
                String range = lo == hi ? String.valueOf(lo) : lo + "-" + hi;
                add(out, host, sni, ip, lo, id + "first port of " + range);
                add(out, host, sni, ip, hi, id + "last port of " + range);
                if (lo > 1 && !r.ports().contains(lo - 1)) {
                    add(out, host, sni, ip, lo - 1, id + "port " + (lo - 1) + ", below " + range);
                }
                if (hi < 65535 && !r.ports().contains(hi + 1)) {
                    add(out, host, sni, ip, hi + 1, id + "port " + (hi + 1) + ", above " + range);
                }
            });
        }
        if (r.cidr() != null) {
            IpAddress last = r.cidr().last();
            add(out, host, sni, last, port, id + "last address of " + r.cidr());
            IpAddress before = r.cidr().network().previous();
            IpAddress after = last.next();
            if (before != null) {
                add(out, host, sni, before, port, id + "address before " + r.cidr());
            }
            if (after != null) {
                add(out, host, sni, after, port, id + "address after " + r.cidr());
            }
        }
        if (r.host() != null) {
            for (String[] near : nearNames(r.host())) {
                add(out, near[0], sni, ip, port, id + near[1]);
            }
        }
        if (r.sni() != null) {
            for (String[] near : nearNames(r.sni())) {
                add(out, host, near[0], ip, port, id + near[1]);
            }
        }
    }

    /** Names next to a pattern that it must not match, each with its description. */
    private static List<String[]> nearNames(HostPattern p) {
        List<String[]> out = new ArrayList<>(2);
        String name = p.name();
        int dot = name.indexOf('.');
        String first = dot < 0 ? name : name.substring(0, dot);
        String rest = dot < 0 ? "" : name.substring(dot);
        out.add(new String[] {"not-" + first + rest, "sibling name of " + p});
        if (p.wildcard()) {
            String parent = rest.isEmpty() ? null : rest.substring(1);
            if (parent != null && parent.indexOf('.') > 0) {
                out.add(new String[] {parent, "parent of " + p});
            }
        } else {
            out.add(new String[] {"www." + name, "child of " + p});
        }
        return out;
    }

    private static void add(Map<Key, DiffFlow> out, String host, String sni, IpAddress ip, int port, String source) {
        Flow flow;
        try {
            flow = Flow.builder().host(host).sni(sni).ip(ip).port(port).build();
        } catch (IllegalArgumentException e) {
            // A made-up near miss that is not a valid name (a label grown past 63 characters): skip it.
            return;
        }
        out.putIfAbsent(new Key(flow.host(), flow.sni(), flow.ip(), flow.port()), new DiffFlow(flow, source));
    }

    private record Key(String host, String sni, IpAddress ip, int port) {
    }
}
