package org.opgate.ruletest;

import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.opgate.classify.Classification;
import org.opgate.classify.EndpointRule;
import org.opgate.config.Diagnostics;
import org.opgate.config.InstantText;
import org.opgate.config.OpgateConfig;
import org.opgate.config.YamlReader;
import org.opgate.flow.Flow;
import org.opgate.policy.Operator;
import org.opgate.policy.Phase;
import org.opgate.policy.Policy;
import org.opgate.policy.SubscriberResolver;
import org.opgate.policy.Verdict;
import org.opgate.source.SourceLocation;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads one case of a test suite; reports every problem to the reader's diagnostics, and returns
 * null if there was any. With a config, names (operators, classes, rules, policies, phases) are
 * checked against it; without one (flows for {@code diff}) only their form is.
 */
final class CaseReader {

    private static final Set<String> CASE_KEYS = YamlReader.keys("name", "host", "sni", "ip", "port", "operator",
            "subscriber", "at", "expect");
    private static final Set<String> EXPECT_KEYS = YamlReader.keys("class", "rule", "verdict", "policy", "phase");
    private static final String VERDICTS = "allow, notify, report, throttle or block";

    private final YamlReader yaml;
    private final Diagnostics diag;
    private final OpgateConfig config;
    private final boolean requireExpect;

    CaseReader(YamlReader yaml, OpgateConfig config, boolean requireExpect) {
        this.yaml = yaml;
        this.diag = yaml.diag();
        this.config = config;
        this.requireExpect = requireExpect;
    }

    TestCase read(Node node, Map<String, SourceLocation> names) {
        int errorsBefore = diag.count();
        Map<String, Node> m = yaml.mapping(node, "case", CASE_KEYS);
        String name = null;
        if (yaml.require(m, "name", node, "case", "name: what the case shows, unique in the suite")) {
            name = yaml.string(m.get("name"), "case name");
            if (name != null) {
                SourceLocation first = names.putIfAbsent(name, yaml.at(node));
                if (first != null) {
                    diag.error(yaml.at(m.get("name")), "case name '" + name + "' is already used at " + first,
                            "unique case names in a suite");
                }
            }
        }
        String what = name == null ? "case" : "case '" + name + "'";
        String label = what + ": ";
        Long port = null;
        if (yaml.require(m, "port", node, what, "port: the destination port, 1..65535")) {
            port = yaml.integer(m.get("port"), label + "port", 1, 65535);
        }
        if (!m.containsKey("host") && !m.containsKey("sni") && !m.containsKey("ip")) {
            diag.error(yaml.at(node), label + "no host, sni or ip", "at least one of host, sni, ip");
        }
        Flow.Builder b = Flow.builder().port(port == null ? 1 : port.intValue());
        field(m, "host", label, b::host);
        field(m, "sni", label, b::sni);
        field(m, "ip", label, b::ip);
        String atText = null;
        if (m.containsKey("at")) {
            atText = yaml.string(m.get("at"), label + "at");
            if (atText != null) {
                try {
                    b.at(InstantText.parse(atText).toInstant());
                } catch (DateTimeParseException e) {
                    diag.error(yaml.at(m.get("at")), label + "at '" + atText + "' is not an instant",
                            InstantText.EXPECTED);
                }
            }
        }
        String operator = m.containsKey("operator") ? operator(m.get("operator"), label) : null;
        String subscriber = m.containsKey("subscriber") ? yaml.string(m.get("subscriber"), label + "subscriber") : null;
        if (config != null && operator != null && subscriber != null) {
            Operator owner = new SubscriberResolver(config.operators()).byMsisdn(subscriber);
            if (owner != null && !owner.id().equals(operator)) {
                diag.error(yaml.at(m.get("subscriber")), label + "subscriber " + subscriber + " is a number of "
                        + owner.id() + ", not of operator " + operator, "a matching pair, or only one of them");
            }
        }
        b.operator(operator).subscriber(subscriber);
        Expectation expect = new Expectation(null, null, null, null, null);
        if (m.containsKey("expect")) {
            expect = expectation(m.get("expect"), label, m.containsKey("at"));
        } else if (requireExpect) {
            yaml.require(m, "expect", node, what,
                    "expect: {class, rule, verdict, policy, phase}, at least one");
        }
        Flow flow = null;
        if (diag.count() == errorsBefore) {
            try {
                flow = b.build();
            } catch (IllegalArgumentException e) {
                diag.error(yaml.at(node), label, e);
            }
        }
        return flow == null || diag.count() > errorsBefore ? null
                : new TestCase(name, flow, atText, expect, yaml.at(node));
    }

    private void field(Map<String, Node> m, String key, String label, Consumer<String> set) {
        if (!m.containsKey(key)) {
            return;
        }
        String text = yaml.string(m.get(key), label + key);
        if (text == null) {
            return;
        }
        try {
            set.accept(text);
        } catch (IllegalArgumentException e) {
            diag.error(yaml.at(m.get(key)), label + key + " ", e);
        }
    }

    private String operator(Node node, String label) {
        String id = yaml.string(node, label + "operator");
        if (id == null || config == null) {
            return id;
        }
        List<String> known = config.operators().stream().map(Operator::id).toList();
        if (known.isEmpty()) {
            diag.error(yaml.at(node), label + "operator '" + id + "', but the config has no operators",
                    "no operator: the config's policies then apply to every flow");
        } else if (!known.contains(id)) {
            diag.error(yaml.at(node), label + "unknown operator '" + id + "'" + hint(id, known),
                    "one of " + String.join(", ", known));
        }
        return id;
    }

    private Expectation expectation(Node node, String label, boolean hasAt) {
        Map<String, Node> m = yaml.mapping(node, "expect", EXPECT_KEYS);
        if (node instanceof MappingNode map && map.getValue().isEmpty()) {
            diag.error(yaml.at(node), label + "expect names nothing", "at least one of class, rule, verdict, policy, phase");
            return new Expectation(null, null, null, null, null);
        }
        String cls = m.containsKey("class") ? yaml.string(m.get("class"), label + "class") : null;
        if (cls != null && config != null && !config.rules().hasClass(cls)) {
            List<String> known = new ArrayList<>(config.rules().classes().stream().map(c -> c.name()).toList());
            known.add(Classification.OTHER_CLASS);
            diag.error(yaml.at(m.get("class")), label + "unknown class '" + cls + "'" + hint(cls, known),
                    "one of " + String.join(", ", known));
        }
        String rule = m.containsKey("rule") ? yaml.string(m.get("rule"), label + "rule") : null;
        if (rule != null && config != null) {
            checkRule(m.get("rule"), rule, cls, label);
        }
        Verdict verdict = null;
        if (m.containsKey("verdict")) {
            String text = yaml.string(m.get("verdict"), label + "verdict");
            for (Verdict v : Verdict.values()) {
                if (v.configName().equals(text)) {
                    verdict = v;
                }
            }
            if (text != null && verdict == null) {
                List<String> known = Arrays.stream(Verdict.values()).map(Verdict::configName).toList();
                diag.error(yaml.at(m.get("verdict")), label + "unknown verdict '" + text + "'" + hint(text, known),
                        VERDICTS);
            }
        }
        String policy = m.containsKey("policy") ? yaml.string(m.get("policy"), label + "policy") : null;
        Policy decidedBy = null;
        if (policy != null && config != null && !policy.equals(Expectation.NONE)) {
            List<String> known = config.policies().stream().map(Policy::id).toList();
            decidedBy = config.policies().stream().filter(p -> p.id().equals(policy)).findFirst().orElse(null);
            if (decidedBy == null) {
                diag.error(yaml.at(m.get("policy")), label + "unknown policy '" + policy + "'" + hint(policy, known),
                        known.isEmpty() ? "none: the config has no policies" : "one of " + String.join(", ", known)
                        + ", or none");
            }
        }
        String phase = m.containsKey("phase") ? yaml.string(m.get("phase"), label + "phase") : null;
        if (phase != null && config != null && !phase.equals(Expectation.NONE)) {
            List<Policy> scope = decidedBy != null ? List.of(decidedBy) : config.policies();
            List<String> known = scope.stream().flatMap(p -> p.phases().stream()).map(Phase::name).distinct().toList();
            if (!known.contains(phase)) {
                diag.error(yaml.at(m.get("phase")), label + "unknown phase '" + phase + "'"
                        + (decidedBy != null ? " of policy " + decidedBy.id() : "") + hint(phase, known),
                        known.isEmpty() ? "none" : "one of " + String.join(", ", known) + ", or none");
            }
        }
        if (!hasAt) {
            for (String key : List.of("verdict", "policy", "phase")) {
                if (m.containsKey(key)) {
                    diag.error(yaml.at(m.get(key)), label + "expect." + key + " needs the instant of the decision",
                            "at: an instant on the case, like 2015-12-01T00:00+05:00");
                    break;
                }
            }
        }
        return new Expectation(cls, rule, verdict, policy, phase);
    }

    private void checkRule(Node node, String rule, String cls, String label) {
        if (rule.equals(Expectation.NONE)) {
            if (cls != null && !cls.equals(Classification.OTHER_CLASS)) {
                diag.error(yaml.at(node), label + "rule none means class OTHER, not " + cls,
                        "class OTHER with rule none, or a rule id");
            }
            return;
        }
        EndpointRule found = config.rules().rules().stream().filter(r -> r.id().equals(rule)).findFirst().orElse(null);
        if (found == null) {
            List<String> known = config.rules().rules().stream().map(EndpointRule::id).toList();
            String h = hint(rule, known);
            diag.error(yaml.at(node), label + "unknown rule '" + rule + "'" + h,
                    "a rule id of the suite's config, or none");
        } else if (cls != null && !cls.equals(found.trafficClass())) {
            diag.error(yaml.at(node), label + "rule '" + rule + "' is of class " + found.trafficClass() + ", not "
                    + cls + " (" + found.location() + ")", "a rule of class " + cls + ", or no class");
        }
    }

    private static String hint(String value, List<String> known) {
        String h = YamlReader.suggest(value, known);
        return h == null ? "" : "; did you mean '" + h + "'?";
    }
}
