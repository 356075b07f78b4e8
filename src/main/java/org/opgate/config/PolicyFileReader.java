package org.opgate.config;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.opgate.source.SourceLocation;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opgate.classify.RuleSet;
import org.opgate.flow.IpPrefix;
import org.opgate.policy.Action;
import org.opgate.policy.Exemptions;
import org.opgate.policy.Operator;
import org.opgate.policy.Phase;
import org.opgate.policy.Policy;
import org.opgate.policy.Reasons;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads a {@code policies/*.yaml} file:
 *
 * <pre>
 * policies:
 *   - id: pta-2015-bes
 *     class: BES
 *     operators: all
 *     zone: Asia/Karachi
 *     phases:
 *       - {name: notice,   from: 2015-07-24T00:00, action: notify}
 *       - {name: deadline, from: 2015-12-01T00:00, action: block, cut-existing: true}
 * </pre>
 */
final class PolicyFileReader {

    static final String POLICY_ID = "[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}";

    private static final Set<String> FILE_KEYS = YamlReader.keys("policies");
    private static final Set<String> POLICY_KEYS = YamlReader.keys("id", "class", "operators", "zone", "authority",
            "order", "mode", "exempt", "phases");
    private static final Set<String> EXEMPT_KEYS = YamlReader.keys("subscribers", "pools");
    private static final Set<String> PHASE_KEYS = YamlReader.keys("name", "from", "action", "rate", "cut-existing",
            "reason");
    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(B|kB|KB|KiB|MB|MiB)?(?:/s)?");

    private final YamlReader yaml;
    private final RuleSet rules;
    private final List<Operator> operators;
    private final List<Policy> out;
    /** Every id seen, also of policies with errors, so a duplicate is reported at once. */
    private final Map<String, SourceLocation> seenIds;

    PolicyFileReader(YamlReader yaml, RuleSet rules, List<Operator> operators, List<Policy> out,
                     Map<String, SourceLocation> seenIds) {
        this.yaml = yaml;
        this.rules = rules;
        this.operators = operators;
        this.out = out;
        this.seenIds = seenIds;
    }

    void read(Node root) {
        Map<String, Node> top = yaml.mapping(root, "policy file", FILE_KEYS);
        if (!yaml.require(top, "policies", root, "policy file", "a 'policies' list")) {
            return;
        }
        for (Node p : yaml.sequence(top.get("policies"), "policies", false)) {
            readPolicy(p);
        }
    }

    private void readPolicy(Node node) {
        Map<String, Node> m = yaml.mapping(node, "policy", POLICY_KEYS);
        boolean ok = yaml.require(m, "id", node, "policy", "an id like pta-2015-bes")
                & yaml.require(m, "class", node, "policy", "class: a traffic class name like BES")
                & yaml.require(m, "zone", node, "policy", "zone: a time zone like Asia/Karachi")
                & yaml.require(m, "phases", node, "policy", "a list of phases");
        if (!ok) {
            return;
        }
        int errorsBefore = yaml.diag().count();
        String id = yaml.identifier(m.get("id"), "policy id", POLICY_ID,
                "a letter or digit, then letters, digits, '_', '.', ':' or '-' (at most 64)");
        if (id != null) {
            var first = seenIds.putIfAbsent(id, yaml.at(node));
            if (first != null) {
                yaml.diag().error(yaml.at(m.get("id")), "policy id '" + id + "' is already used at " + first,
                        "unique policy ids");
            }
        }
        String label = "policy '" + id + "': ";
        String cls = yaml.string(m.get("class"), "class");
        if (cls != null && !rules.hasClass(cls)) {
            List<String> known = new ArrayList<>(rules.classes().stream().map(c -> c.name()).toList());
            known.add("OTHER");
            String hint = YamlReader.suggest(cls, known);
            yaml.diag().error(yaml.at(m.get("class")), label + "unknown class '" + cls + "'"
                    + (hint == null ? "" : "; did you mean '" + hint + "'?"), "one of " + String.join(", ", known));
        }
        Set<String> ops = operatorSet(m.get("operators"), label);
        ZoneId zone = zone(m.get("zone"), label);
        String authority = m.containsKey("authority") ? yaml.string(m.get("authority"), "authority") : null;
        String order = m.containsKey("order") ? yaml.string(m.get("order"), "order") : null;
        Policy.Mode mode = Policy.Mode.ENFORCE;
        if (m.containsKey("mode")) {
            String text = yaml.string(m.get("mode"), "mode");
            if ("shadow".equals(text)) {
                mode = Policy.Mode.SHADOW;
            } else if (!"enforce".equals(text)) {
                yaml.diag().error(yaml.at(m.get("mode")), label + "unknown mode '" + text + "'", "enforce or shadow");
            }
        }
        Exemptions exempt = m.containsKey("exempt") ? exemptions(m.get("exempt"), label) : Exemptions.NONE;
        List<Phase> phases = zone == null ? List.of() : phases(m.get("phases"), zone, label);
        if (yaml.diag().count() > errorsBefore) {
            return;
        }
        if (phases.isEmpty()) {
            yaml.diag().error(yaml.at(m.get("phases")), label + "no phases", "at least one phase");
            return;
        }
        phases = Reasons.write(cls, zone, authority, order, phases);
        out.add(new Policy(id, cls, ops, zone, authority, order, mode, exempt, phases, yaml.at(node)));
    }

    private Set<String> operatorSet(Node node, String label) {
        if (node == null || (node instanceof ScalarNode s && "all".equals(s.getValue()))) {
            return Set.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        List<String> known = operators.stream().map(Operator::id).toList();
        List<Node> items = yaml.sequence(node, "operators", false);
        for (Node item : items) {
            String id = yaml.string(item, "operator");
            if (id == null) {
                continue;
            }
            if (!known.contains(id)) {
                yaml.diag().error(yaml.at(item), label + "unknown operator '" + id + "'",
                        known.isEmpty() ? "operators declared in opgate.yaml" : "one of " + String.join(", ", known) + ", or 'all'");
            } else if (!ids.add(id)) {
                yaml.diag().error(yaml.at(item), label + "operator '" + id + "' is listed twice", "each operator once");
            }
        }
        if (items.isEmpty() && node instanceof org.yaml.snakeyaml.nodes.SequenceNode) {
            yaml.diag().error(yaml.at(node), label + "empty operator list", "operator ids, or 'all'");
        }
        return ids;
    }

    private ZoneId zone(Node node, String label) {
        String text = yaml.string(node, "zone");
        if (text == null) {
            return null;
        }
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            yaml.diag().error(yaml.at(node), label + "unknown time zone '" + text + "'",
                    "a tz database zone like Asia/Karachi, or an offset like +05:00");
            return null;
        }
    }

    private Exemptions exemptions(Node node, String label) {
        Map<String, Node> m = yaml.mapping(node, "exempt", EXEMPT_KEYS);
        Set<String> subs = new LinkedHashSet<>();
        List<IpPrefix> pools = new ArrayList<>();
        if (m.containsKey("subscribers")) {
            for (Node s : yaml.sequence(m.get("subscribers"), "subscribers", false)) {
                String id = yaml.string(s, "subscriber");
                if (id != null && !subs.add(id)) {
                    yaml.diag().error(yaml.at(s), label + "subscriber '" + id + "' is exempted twice", "each subscriber once");
                }
            }
        }
        if (m.containsKey("pools")) {
            for (Node p : yaml.sequence(m.get("pools"), "pools", false)) {
                String text = yaml.string(p, "pool");
                if (text == null) {
                    continue;
                }
                try {
                    pools.add(IpPrefix.parse(text));
                } catch (IllegalArgumentException e) {
                    yaml.diag().error(yaml.at(p), label + "exempt pool ", e);
                }
            }
        }
        return new Exemptions(subs, pools);
    }

    private List<Phase> phases(Node node, ZoneId zone, String label) {
        List<Phase> phases = new ArrayList<>();
        for (Node item : yaml.sequence(node, "phases", false)) {
            Map<String, Node> m = yaml.mapping(item, "phase", PHASE_KEYS);
            boolean ok = yaml.require(m, "from", item, "phase", "from: a local date-time like 2015-12-01T00:00")
                    & yaml.require(m, "action", item, "phase", "action: allow, notify, report, throttle or block");
            if (!ok) {
                continue;
            }
            LocalDateTime from = localDateTime(m.get("from"), label);
            Action action = action(m.get("action"), label);
            String name = m.containsKey("name") ? yaml.string(m.get("name"), "phase name")
                    : action == null ? "phase " + (phases.size() + 1) : action.configName();
            String phaseLabel = label + "phase '" + name + "': ";
            long rate = 0;
            if (m.containsKey("rate")) {
                if (action != Action.THROTTLE) {
                    yaml.diag().error(yaml.at(m.get("rate")), phaseLabel + "rate applies to throttle phases only",
                            "no rate, or action: throttle");
                } else {
                    rate = rate(m.get("rate"), phaseLabel);
                }
            } else if (action == Action.THROTTLE) {
                yaml.diag().error(yaml.at(item), phaseLabel + "throttle needs a rate", "rate: like 16KiB/s or 2000 (bytes per second)");
            }
            boolean cut = false;
            if (m.containsKey("cut-existing")) {
                Boolean b = yaml.bool(m.get("cut-existing"), "cut-existing");
                cut = Boolean.TRUE.equals(b);
                if (action != Action.BLOCK) {
                    yaml.diag().error(yaml.at(m.get("cut-existing")), phaseLabel + "cut-existing applies to block phases only",
                            "no cut-existing, or action: block");
                    cut = false;
                }
            }
            String reason = m.containsKey("reason") ? yaml.string(m.get("reason"), "reason") : "";
            // A null name was reported above (not a single value), like a null from or action.
            if (name == null || from == null || action == null || (action == Action.THROTTLE && rate <= 0)) {
                continue;
            }
            // Gaps move forward by the gap's length; overlaps take the earlier offset (java.time rules).
            var start = from.atZone(zone).toInstant();
            if (!phases.isEmpty() && !start.isAfter(phases.get(phases.size() - 1).start())) {
                Phase prev = phases.get(phases.size() - 1);
                yaml.diag().error(yaml.at(m.get("from")), phaseLabel + "starts " + from + " (" + start + "), not after phase '"
                        + prev.name() + "' (" + prev.from() + ", " + prev.start() + " in " + zone + ")",
                        "phases in time order, each starting later");
                continue;
            }
            phases.add(new Phase(name, from, start, action, rate, cut, reason == null ? "" : reason, yaml.at(item)));
        }
        return phases;
    }

    private LocalDateTime localDateTime(Node node, String label) {
        String text = yaml.string(node, "from");
        if (text == null) {
            return null;
        }
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay() : LocalDateTime.parse(text);
        } catch (DateTimeParseException e) {
            yaml.diag().error(yaml.at(node), label + "from '" + text + "' is not a local date-time",
                    "like 2015-12-01T00:00 or 2015-12-01, in the policy's zone, without an offset");
            return null;
        }
    }

    private Action action(Node node, String label) {
        String text = yaml.string(node, "action");
        if (text == null) {
            return null;
        }
        for (Action a : Action.values()) {
            if (a.configName().equals(text)) {
                return a;
            }
        }
        yaml.diag().error(yaml.at(node), label + "unknown action '" + text + "'", "allow, notify, report, throttle or block");
        return null;
    }

    private long rate(Node node, String label) {
        String text = yaml.string(node, "rate");
        if (text == null) {
            return 0;
        }
        Matcher mt = RATE.matcher(text.trim());
        if (!mt.matches()) {
            yaml.diag().error(yaml.at(node), label + "rate '" + text + "' is not a byte rate",
                    "bytes per second like 2000, or with a unit: 16KiB/s, 2MB/s");
            return 0;
        }
        double v = Double.parseDouble(mt.group(1));
        String unit = mt.group(2) == null ? "B" : mt.group(2);
        double mult = switch (unit.toLowerCase(Locale.ROOT)) {
            case "kb" -> 1000;
            case "kib" -> 1024;
            case "mb" -> 1_000_000;
            case "mib" -> 1024 * 1024;
            default -> 1;
        };
        long bytes = Math.round(v * mult);
        if (bytes < 1) {
            yaml.diag().error(yaml.at(node), label + "rate '" + text + "' is below 1 byte per second", "at least 1 B/s");
            return 0;
        }
        return bytes;
    }
}
