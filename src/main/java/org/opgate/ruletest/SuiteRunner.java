package org.opgate.ruletest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.opgate.classify.Classification;
import org.opgate.classify.IndexedClassifier;
import org.opgate.config.OpgateConfig;
import org.opgate.flow.Flow;
import org.opgate.policy.Decision;
import org.opgate.policy.FlowDecider;
import org.opgate.policy.Operator;
import org.opgate.policy.PolicyEngine;
import org.opgate.policy.SubscriberResolver;
import org.opgate.ruletest.CaseResult.Mismatch;
import org.opgate.ruletest.CaseResult.OperatorDecision;

/**
 * Runs test cases against their config: classifies each flow with the compiled classifier (the
 * one the gateway uses) and, when the case has an instant, decides it for every operator in
 * scope with the policy engine; a case with a host and another SNI is decided as the gateway
 * decides a tunnel ({@link FlowDecider#decideTunnel}: domain fronting). Pure: no clock, no I/O.
 */
public final class SuiteRunner {

    private SuiteRunner() {
    }

    public static SuiteResult run(TestSuite suite) {
        OpgateConfig cfg = suite.config();
        IndexedClassifier classifier = new IndexedClassifier(cfg.rules());
        PolicyEngine engine = cfg.policyEngine();
        FlowDecider decider = new FlowDecider(classifier, engine);
        List<CaseResult> results = new ArrayList<>(suite.cases().size());
        for (TestCase c : suite.cases()) {
            results.add(run(c, cfg, classifier, engine, decider));
        }
        return new SuiteResult(suite, results);
    }

    /**
     * The operators a case is decided for: its own; else the one its subscriber's number belongs
     * to; else every operator of the config (a single null when it has none).
     */
    public static List<String> operatorsFor(TestCase c, OpgateConfig cfg) {
        Flow f = c.flow();
        if (f.operator() != null) {
            return List.of(f.operator());
        }
        if (f.subscriber() != null) {
            Operator owner = new SubscriberResolver(cfg.operators()).byMsisdn(f.subscriber());
            if (owner != null) {
                return List.of(owner.id());
            }
        }
        if (cfg.operators().isEmpty()) {
            return Collections.singletonList(null);
        }
        return cfg.operators().stream().map(Operator::id).toList();
    }

    private static CaseResult run(TestCase c, OpgateConfig cfg, IndexedClassifier classifier, PolicyEngine engine,
                                  FlowDecider decider) {
        Flow flow = c.flow();
        Expectation e = c.expect();
        Classification cls = classifier.classify(flow);
        List<Mismatch> mismatches = new ArrayList<>();
        String ruleId = cls.rule() == null ? Expectation.NONE : cls.rule().id();
        if (e.trafficClass() != null && !e.trafficClass().equals(cls.trafficClass())) {
            mismatches.add(new Mismatch("class", e.trafficClass(), cls.trafficClass(), List.of()));
        }
        if (e.rule() != null && !e.rule().equals(ruleId)) {
            mismatches.add(new Mismatch("rule", e.rule(), ruleId, List.of()));
        }
        List<OperatorDecision> decisions = new ArrayList<>();
        if (flow.at() != null) {
            for (String op : operatorsFor(c, cfg)) {
                Flow f = new Flow(flow.host(), flow.sni(), flow.ip(), flow.port(), op, flow.subscriber(),
                        flow.client(), flow.listener(), flow.at());
                decisions.add(new OperatorDecision(op, FlowDecider.isTunnel(f) ? decider.decideTunnel(f, flow.at())
                        : engine.decide(cls, f, flow.at())));
            }
        }
        if (e.verdict() != null) {
            compare(mismatches, "verdict", e.verdict().configName(), decisions, d -> d.verdict().configName());
        }
        if (e.policy() != null) {
            compare(mismatches, "policy", e.policy(), decisions,
                    d -> d.policyId() == null ? Expectation.NONE : d.policyId());
        }
        if (e.phase() != null) {
            compare(mismatches, "phase", e.phase(), decisions,
                    d -> d.phase() == null ? Expectation.NONE : d.phase().name());
        }
        return new CaseResult(c, cls, decisions, mismatches);
    }

    /** One mismatch per distinct wrong value, naming the operators that got it. */
    private static void compare(List<Mismatch> out, String field, String expected, List<OperatorDecision> decisions,
                                Function<Decision, String> actual) {
        Map<String, List<String>> wrong = new LinkedHashMap<>();
        for (OperatorDecision od : decisions) {
            String got = actual.apply(od.decision());
            if (!got.equals(expected)) {
                List<String> ops = wrong.computeIfAbsent(got, k -> new ArrayList<>());
                if (od.operator() != null) {
                    ops.add(od.operator());
                }
            }
        }
        wrong.forEach((got, ops) -> out.add(new Mismatch(field, expected, got, ops)));
    }
}
