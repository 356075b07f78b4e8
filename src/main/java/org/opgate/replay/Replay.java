package org.opgate.replay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opgate.classify.Classification;
import org.opgate.classify.IndexedClassifier;
import org.opgate.config.OpgateConfig;
import org.opgate.flow.Flow;
import org.opgate.flow.IpAddress;
import org.opgate.policy.Decision;
import org.opgate.policy.Operator;
import org.opgate.policy.PolicyEngine;
import org.opgate.policy.SubscriberResolver;
import org.opgate.policy.Verdict;

/**
 * Classifies and decides every TCP flow of a {@link Capture} under a config, the way the
 * gateway would have when the flow started. Pure: no clock, no I/O.
 *
 * <p>The flow the rules see: for a CONNECT request, the target's host and port (and the target
 * as the address when it is a literal); otherwise the server's address and port, the SNI, and as
 * host the HTTP Host header, else the DNS name of the server's address. Operators: the one whose
 * client pool holds the client address, else every operator of the config; operators that reach
 * the same verdict share one {@link Outcome}.
 */
public final class Replay {

    private Replay() {
    }

    /**
     * A verdict shared by some operators.
     *
     * @param operators the operators, in config order; a single null when the config has none
     * @param verdict   the enforced verdict
     * @param policy    the deciding policy's id for the first of them, or null
     * @param phase     the deciding phase's name for the first of them, or null
     */
    public record Outcome(List<String> operators, Verdict verdict, String policy, String phase) {
        public Outcome {
            operators = Collections.unmodifiableList(new ArrayList<>(operators));
        }
    }

    /**
     * One replayed flow.
     *
     * @param captured       what the capture showed
     * @param flow           what the rules were given
     * @param at             the instant it was decided at
     * @param classification its class and rule
     * @param outcomes       verdicts per operator group, in config order of their first operator
     * @param problem        why a name from the capture was not used (not a valid host name), or null
     */
    public record ReplayedFlow(CapturedFlow captured, Flow flow, Instant at, Classification classification,
                               List<Outcome> outcomes, String problem) {
        public ReplayedFlow {
            outcomes = List.copyOf(outcomes);
        }

        public String rule() {
            return classification.rule() == null ? null : classification.rule().id();
        }

        /** {@code block}, or per group: {@code mobilink,ufone block; telenor allow}. */
        public String verdictText() {
            if (outcomes.size() == 1) {
                return outcomes.get(0).verdict().configName();
            }
            List<String> parts = new ArrayList<>();
            for (Outcome o : outcomes) {
                parts.add(String.join(",", o.operators()) + " " + o.verdict().configName());
            }
            return String.join("; ", parts);
        }
    }

    /**
     * @param capture the capture
     * @param at      the instant of {@code --at}, or null when each flow was decided at its first packet
     * @param flows   the replayed flows, in capture order
     */
    public record Report(Capture capture, Instant at, List<ReplayedFlow> flows) {
        public Report {
            flows = List.copyOf(flows);
        }

        /** Flow counts per (class, verdict text), in order of first appearance. */
        public Map<List<String>, Integer> summary() {
            Map<List<String>, Integer> m = new LinkedHashMap<>();
            for (ReplayedFlow f : flows) {
                m.merge(List.of(f.classification().trafficClass(), f.verdictText()), 1, Integer::sum);
            }
            return m;
        }
    }

    /**
     * @param at the instant to decide every flow at, or null for each flow's first packet time
     *           (the epoch when the capture gives none)
     */
    public static Report decide(Capture capture, OpgateConfig config, Instant at) {
        IndexedClassifier classifier = new IndexedClassifier(config.rules());
        PolicyEngine engine = config.policyEngine();
        SubscriberResolver resolver = new SubscriberResolver(config.operators());
        List<ReplayedFlow> out = new ArrayList<>();
        for (CapturedFlow c : capture.flows()) {
            Instant when = at != null ? at : c.first() != null ? c.first() : Instant.EPOCH;
            String[] problem = {null};
            Flow flow = flowOf(c, when, problem);
            Classification cls = classifier.classify(flow);
            Map<String, List<String>> groups = new LinkedHashMap<>();
            Map<String, Decision> decisions = new LinkedHashMap<>();
            for (String op : operators(config, resolver, c.client())) {
                Flow f = new Flow(flow.host(), flow.sni(), flow.ip(), flow.port(), op, flow.subscriber(),
                        flow.client(), flow.listener(), when);
                Decision d = engine.decide(cls, f, when);
                String key = d.verdict().configName();
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(op);
                decisions.putIfAbsent(key, d);
            }
            List<Outcome> outcomes = new ArrayList<>();
            groups.forEach((key, ops) -> {
                Decision d = decisions.get(key);
                outcomes.add(new Outcome(ops, d.verdict(), d.policyId(), d.phase() == null ? null : d.phase().name()));
            });
            out.add(new ReplayedFlow(c, flow, when, cls, outcomes, problem[0]));
        }
        return new Report(capture, at, out);
    }

    private static List<String> operators(OpgateConfig config, SubscriberResolver resolver, IpAddress client) {
        if (config.operators().isEmpty()) {
            return Collections.singletonList(null);
        }
        SubscriberResolver.Resolution r = resolver.resolve("replay", null, null, client);
        if (r.resolved()) {
            return List.of(r.operator());
        }
        return config.operators().stream().map(Operator::id).toList();
    }

    private static Flow flowOf(CapturedFlow c, Instant at, String[] problem) {
        boolean connect = c.connectPort() > 0;
        String host = connect || c.host() != null ? c.host() : c.dns();
        Flow.Builder b = Flow.builder().port(connect ? c.connectPort() : c.serverPort()).client(c.client()).at(at);
        if (!connect) {
            b.ip(c.server());
        }
        try {
            b.host(host);
        } catch (IllegalArgumentException e) {
            problem[0] = "host '" + host + "' not used: " + e.getMessage();
            b.host(null);
        }
        try {
            b.sni(c.sni());
        } catch (IllegalArgumentException e) {
            problem[0] = "SNI '" + c.sni() + "' not used: " + e.getMessage();
            b.sni(null);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            problem[0] = "host '" + host + "' not used: " + e.getMessage();
            return b.host(null).build();
        }
    }
}
