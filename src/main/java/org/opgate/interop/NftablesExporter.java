package org.opgate.interop;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import org.opgate.classify.EndpointRule;
import org.opgate.classify.PortSet;
import org.opgate.classify.RuleChecker;
import org.opgate.classify.TrafficClass;
import org.opgate.config.OpgateConfig;
import org.opgate.flow.Flow;
import org.opgate.policy.Action;
import org.opgate.policy.Phase;
import org.opgate.policy.Policy;

/**
 * Writes a config's address rules and block phases as an nftables ruleset:
 *
 * <pre>
 * table inet opgate {
 *     set BES_1_v4    { type ipv4_addr; flags interval; elements = { prefixes… } }
 *     set BES_1_ports { type inet_service; flags interval; elements = { 3101 } }
 *     chain forward {
 *         ip daddr @BES_1_v4 tcp dport @BES_1_ports meta time >= "2015-11-30 19:00:00" reject with tcp reset
 *     }
 * }
 * </pre>
 *
 * The rules of a class are grouped by their port set, so each group's prefixes share one set and
 * keep their own ports. nftables sees packets, not names: rules with {@code host} or {@code sni}
 * are left out (a comment and a note each). Dates are UTC, and {@code nft} reads them in its own
 * time zone, so load the file with {@code TZ=UTC nft -f FILE}. First-match order across classes
 * is not kept (an address rule of an allowed class does not shield a later blocked one; each such
 * pair is a note with an example flow), policies
 * apply to every source (operators and exemptions are notes), and notify/report/throttle phases
 * and cut-existing are comments only.
 */
public final class NftablesExporter {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private NftablesExporter() {
    }

    /** A class's address rules that share one port set (null: any port). */
    private record Group(String name, PortSet ports, List<EndpointRule> v4, List<EndpointRule> v6, boolean anyAddress) {
    }

    public static Export export(OpgateConfig config) {
        Objects.requireNonNull(config, "config");
        List<Note> notes = new ArrayList<>();
        StringBuilder sets = new StringBuilder();
        Map<String, List<Group>> byClass = new LinkedHashMap<>();
        for (TrafficClass c : config.rules().classes()) {
            byClass.put(c.name(), groups(c.name(), config.rules().rulesOf(c.name()), sets, notes));
        }
        StringBuilder chain = new StringBuilder();
        for (Policy p : config.policies()) {
            policy(chain, p, byClass.get(p.trafficClass()), notes);
        }
        firstMatchNotes(config, notes);
        StringBuilder t = new StringBuilder();
        t.append("#!/usr/sbin/nft -f\n");
        t.append("# nftables ruleset exported by opgate from ").append(config.directory()).append(" (version ")
                .append(config.version()).append(").\n");
        t.append("# meta time dates are UTC: load with  TZ=UTC nft -f FILE\n");
        t.append("# Name rules (host, sni) cannot be matched on packets and are comments only.\n\n");
        t.append("table inet opgate {\n").append(sets);
        t.append("    chain forward {\n        type filter hook forward priority filter; policy accept;\n")
                .append(chain).append("    }\n}\n");
        return new Export(t.toString(), notes);
    }

    private static List<Group> groups(String cls, List<EndpointRule> rules, StringBuilder sets, List<Note> notes) {
        Map<String, List<EndpointRule>> byPorts = new LinkedHashMap<>();
        for (EndpointRule r : rules) {
            if (r.hasName()) {
                sets.append("    # ").append(r.location().fileAndLine()).append(" rule '").append(r.id()).append("' (")
                        .append(cls).append("): ").append(r.describe()).append(": names are not visible to nftables\n");
                notes.add(new Note(r.location(), "rule '" + r.id() + "' (" + cls + "): " + r.describe()
                        + ": nftables cannot match host or sni names; not exported"));
                continue;
            }
            byPorts.computeIfAbsent(String.valueOf(r.ports()), k -> new ArrayList<>()).add(r);
        }
        List<Group> out = new ArrayList<>();
        for (List<EndpointRule> same : byPorts.values()) {
            String name = cls + "_" + (out.size() + 1);
            List<EndpointRule> v4 = same.stream().filter(r -> r.cidr() != null && r.cidr().network().isV4()).toList();
            List<EndpointRule> v6 = same.stream().filter(r -> r.cidr() != null && !r.cidr().network().isV4()).toList();
            Group g = new Group(name, same.get(0).ports(), v4, v6, same.stream().anyMatch(r -> r.cidr() == null));
            addressSet(sets, name + "_v4", "ipv4_addr", v4);
            addressSet(sets, name + "_v6", "ipv6_addr", v6);
            if (g.ports() != null) {
                StringJoiner ports = new StringJoiner(", ");
                g.ports().forEachRange((lo, hi) -> ports.add(lo == hi ? String.valueOf(lo) : lo + "-" + hi));
                sets.append("    set ").append(name).append("_ports {\n        type inet_service\n        flags interval\n")
                        .append("        elements = { ").append(ports).append(" }\n    }\n");
            }
            out.add(g);
        }
        return out;
    }

    /**
     * A note for each exported address rule of a class some policy blocks that an earlier address
     * rule of another class takes first in opgate: nftables rejects those flows anyway.
     */
    private static void firstMatchNotes(OpgateConfig config, List<Note> notes) {
        Set<String> blocked = new HashSet<>();
        for (Policy p : config.policies()) {
            if (p.mode() == Policy.Mode.ENFORCE && p.phases().stream().anyMatch(ph -> ph.action() == Action.BLOCK)) {
                blocked.add(p.trafficClass());
            }
        }
        List<EndpointRule> addressRules = config.rules().rules().stream().filter(r -> !r.hasName()).toList();
        for (EndpointRule b : addressRules) {
            if (!blocked.contains(b.trafficClass())) {
                continue;
            }
            for (EndpointRule a : addressRules) {
                if (a.position() >= b.position()) {
                    break;
                }
                String example = a.trafficClass().equals(b.trafficClass()) ? null : commonFlow(a, b);
                if (example != null) {
                    notes.add(new Note(b.location(), "rule '" + b.id() + "' (" + b.trafficClass() + "): rule '" + a.id()
                            + "' (" + a.trafficClass() + ") at " + a.location().fileAndLine() + " comes first, so opgate"
                            + " puts " + example + " in class " + a.trafficClass() + "; nftables has no first match across"
                            + " classes and rejects it with " + b.trafficClass()));
                    break;
                }
            }
        }
    }

    /** A flow both address rules match, as text ({@code ip 10.0.0.0 port 443}), or null if none. */
    private static String commonFlow(EndpointRule a, EndpointRule b) {
        Flow f = RuleChecker.witnessFlow(a, b);
        return f == null ? null : (f.ip() == null ? "" : "ip " + f.ip() + " ") + "port " + f.port();
    }

    private static void addressSet(StringBuilder sets, String name, String type, List<EndpointRule> rules) {
        if (rules.isEmpty()) {
            return;
        }
        sets.append("    set ").append(name).append(" {\n        type ").append(type).append("\n        flags interval\n        auto-merge\n")
                .append("        elements = {\n");
        for (int i = 0; i < rules.size(); i++) {
            EndpointRule r = rules.get(i);
            sets.append("            ").append(r.cidr()).append(i + 1 < rules.size() ? "," : "")
                    .append("  # ").append(r.location().fileAndLine()).append(' ').append(r.id()).append('\n');
        }
        sets.append("        }\n    }\n");
    }

    private static void policy(StringBuilder c, Policy p, List<Group> groups, List<Note> notes) {
        c.append("        # policy '").append(p.id()).append("' (").append(p.location().fileAndLine()).append("), class ")
                .append(p.trafficClass()).append(", zone ").append(p.zone()).append('\n');
        if (p.mode() == Policy.Mode.SHADOW) {
            c.append("        #   shadow mode: never enforced; not exported\n");
            notes.add(new Note(p.location(), "policy '" + p.id() + "' is in shadow mode: not exported"));
            return;
        }
        if (groups == null) {
            c.append("        #   class ").append(p.trafficClass()).append(" is what no rule matches: not expressible\n");
            notes.add(new Note(p.location(), "policy '" + p.id() + "': class " + p.trafficClass()
                    + " (no rule matched) cannot be expressed in nftables; not exported"));
            return;
        }
        if (!p.operators().isEmpty() || !p.exemptions().isEmpty()) {
            notes.add(new Note(p.location(), "policy '" + p.id() + "': operators and exemptions are not exported;"
                    + " its rules apply to every source address"));
        }
        for (int i = 0; i < p.phases().size(); i++) {
            Phase ph = p.phases().get(i);
            Instant end = p.phaseEnd(i);
            c.append("        #   phase '").append(ph.name()).append("' (").append(ph.location().fileAndLine())
                    .append(") from ").append(ph.from()).append(' ').append(p.zone()).append(" = ")
                    .append(TIME.format(ph.start())).append(" UTC: ").append(ph.action().configName()).append('\n');
            if (ph.action() != Action.BLOCK) {
                if (ph.action() != Action.ALLOW) {
                    notes.add(new Note(ph.location(), "policy '" + p.id() + "' phase '" + ph.name() + "': "
                            + ph.action().configName() + " has no nftables equivalent; exported as a comment"));
                }
                continue;
            }
            if (ph.cutExisting()) {
                c.append("        #   cut-existing: established connections are cut only by the conntrack flush\n");
            }
            String time = " meta time >= \"" + TIME.format(ph.start()) + "\""
                    + (end == null ? "" : " meta time < \"" + TIME.format(end) + "\"");
            for (Group g : groups) {
                String port = g.ports() == null ? " meta l4proto tcp" : " tcp dport @" + g.name() + "_ports";
                if (!g.v4().isEmpty()) {
                    c.append("        ip daddr @").append(g.name()).append("_v4").append(port).append(time)
                            .append(" reject with tcp reset\n");
                }
                if (!g.v6().isEmpty()) {
                    c.append("        ip6 daddr @").append(g.name()).append("_v6").append(port).append(time)
                            .append(" reject with tcp reset\n");
                }
                if (g.anyAddress()) {
                    c.append("       ").append(port).append(time).append(" reject with tcp reset\n");
                }
            }
        }
    }
}
