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
import org.opgate.flow.ListenerKind;
import org.opgate.policy.Decision;
import org.opgate.policy.FlowDecider;
import org.opgate.policy.SubscriberResolver;
import org.opgate.policy.Verdict;

/**
 * Classifies and decides every TCP flow of a {@link Capture} under a config, the way the
 * gateway would have when the flow started. Pure: no clock, no I/O.
 *
 * <p>The flow the rules see, built and decided by the gateway's own steps ({@link FlowDecider}):
 * for a tunnel (HTTP CONNECT, SOCKS5), the requested host and port (the target as the address
 * when it is a literal), then the SNI of the ClientHello sent through it revises the decision as
 * the gateway's peek does (domain fronting); otherwise the server's address and port, the SNI,
 * and as host the HTTP Host header, else the DNS name of the server's address. Operators: the one
 * the gateway would find (a user name that is an operator's MSISDN, else the client's pool), else
 * every operator of the config; operators that reach the same verdict share one {@link Outcome}.
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
     * @param fronting       true if a tunnel's requested host and its SNI fall in different classes
     * @param problem        why a name from the capture was not used (not a valid host name), or null
     */
    public record ReplayedFlow(CapturedFlow captured, Flow flow, Instant at, Classification classification,
                               List<Outcome> outcomes, boolean fronting, String problem) {
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
        FlowDecider decider = new FlowDecider(new IndexedClassifier(config.rules()), config.policyEngine());
        SubscriberResolver resolver = new SubscriberResolver(config.operators());
        List<ReplayedFlow> out = new ArrayList<>();
        for (CapturedFlow c : capture.flows()) {
            Instant when = at != null ? at : c.first() != null ? c.first() : Instant.EPOCH;
            String[] problem = {null};
            Map<String, List<String>> groups = new LinkedHashMap<>();
            Map<String, Decision> decisions = new LinkedHashMap<>();
            Flow first = null;
            boolean fronting = false;
            for (SubscriberResolver.Resolution who : resolutions(config, resolver, c)) {
                Flow flow = c.tunnelPort() > 0 ? tunnelFlow(c, who, when, problem) : directFlow(c, who, when, problem);
                Decision d = decider.decide(flow, who);
                if (c.tunnelPort() > 0) {
                    // The gateway peeks at the tunnel's first bytes: the ClientHello's SNI revises the decision.
                    FlowDecider.Revision r = decider.revise(flow, d, c.sni());
                    flow = r.flow();
                    d = r.decision();
                    fronting |= r.fronting();
                }
                first = first == null ? flow : first;
                String key = d.verdict().configName();
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(who.operator());
                decisions.putIfAbsent(key, d);
            }
            List<Outcome> outcomes = new ArrayList<>();
            groups.forEach((key, ops) -> {
                Decision d = decisions.get(key);
                outcomes.add(new Outcome(ops, d.verdict(), d.policyId(), d.phase() == null ? null : d.phase().name()));
            });
            Classification cls = decisions.values().iterator().next().classification();
            out.add(new ReplayedFlow(c, first, when, cls, outcomes, fronting, problem[0]));
        }
        return new Report(capture, at, out);
    }

    /**
     * Whom the flow is decided for: the operator the gateway would find (a user name that is an
     * MSISDN, else the client's pool), else every operator of the config.
     */
    private static List<SubscriberResolver.Resolution> resolutions(OpgateConfig config, SubscriberResolver resolver,
                                                                   CapturedFlow c) {
        SubscriberResolver.Resolution r = resolver.resolve("replay", null, c.user(), c.client());
        if (r.resolved()) {
            return List.of(r);
        }
        String subscriber = c.user() != null ? c.user() : c.client().toString();
        if (config.operators().isEmpty()) {
            return List.of(new SubscriberResolver.Resolution(null, subscriber, null, null));
        }
        return config.operators().stream()
                .map(o -> new SubscriberResolver.Resolution(o.id(), subscriber, "replay", null)).toList();
    }

    /** A tunnel's flow, as its listener builds it: the requested host (or address) and port, no SNI yet. */
    private static Flow tunnelFlow(CapturedFlow c, SubscriberResolver.Resolution who, Instant at, String[] problem) {
        ListenerKind kind = c.tunnel().equals("socks5") ? ListenerKind.SOCKS5 : ListenerKind.HTTP;
        try {
            return FlowDecider.handshake(c.host(), null, c.tunnelPort(), who, c.client(), kind, at);
        } catch (IllegalArgumentException e) {
            problem[0] = "host '" + c.host() + "' not used: " + e.getMessage();
            return FlowDecider.handshake(null, null, c.tunnelPort(), who, c.client(), kind, at);
        }
    }

    /** A flow without a proxy: the server's address and port, the SNI, and the HTTP host, else the DNS name. */
    private static Flow directFlow(CapturedFlow c, SubscriberResolver.Resolution who, Instant at, String[] problem) {
        String host = c.host() != null ? c.host() : c.dns();
        Flow.Builder b = Flow.builder().port(c.serverPort()).ip(c.server()).operator(who.operator())
                .subscriber(who.subscriber()).client(c.client()).at(at);
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
