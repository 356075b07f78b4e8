package org.opgate.ruletest;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.opgate.classify.Classification;
import org.opgate.classify.IndexedClassifier;
import org.opgate.config.OpgateConfig;
import org.opgate.flow.Flow;
import org.opgate.policy.Decision;
import org.opgate.policy.FlowDecider;
import org.opgate.policy.Operator;
import org.opgate.policy.Phase;
import org.opgate.policy.Policy;
import org.opgate.policy.PolicyEngine;
import org.opgate.policy.Verdict;

/**
 * Which flows change class, rule or verdict between two configs, and from when.
 *
 * <p>Time-aware: each flow is evaluated under both configs at every instant that matters in the
 * window: its start ({@code from}, or before every phase when there is none) and every phase
 * boundary of either config after it, up to and including {@code to}. Between two such instants
 * no outcome can change. Each flow is evaluated per operator: the union of both configs'
 * operators, or the flow's own operator. Consecutive instants with the same difference make one
 * {@link Change}; operators with the same change share it. Pure: no clock, no I/O.
 */
public final class ConfigDiff {

    private ConfigDiff() {
    }

    /**
     * A flow's class, rule and verdict under one config at one instant; policy and phase are
     * context and play no part in the comparison.
     *
     * @param trafficClass the class
     * @param rule         the winning rule's id, or null for {@code OTHER}
     * @param verdict      the enforced verdict
     * @param policy       the deciding policy's id, or null
     * @param phase        the deciding phase's name, or null
     */
    public record Outcome(String trafficClass, String rule, Verdict verdict, String policy, String phase) {

        static Outcome of(Decision d) {
            Classification c = d.classification();
            return new Outcome(c.trafficClass(), c.rule() == null ? null : c.rule().id(), d.verdict(), d.policyId(),
                    d.phase() == null ? null : d.phase().name());
        }

        /** Same class, rule and verdict. */
        public boolean sameAs(Outcome o) {
            return trafficClass.equals(o.trafficClass) && Objects.equals(rule, o.rule) && verdict == o.verdict;
        }

        /** {@code BES bes-srp-host block}; {@code OTHER - allow}. */
        @Override
        public String toString() {
            return trafficClass + " " + (rule == null ? "-" : rule) + " " + verdict.configName();
        }
    }

    /**
     * One difference of one flow, for one or more operators, over one stretch of the window.
     *
     * @param flow      the flow
     * @param operators the operators it holds for, in config order; a single null when neither
     *                  config has operators
     * @param from      the first instant it holds, or null for the start of an open window
     * @param until     the instant it stops holding, or null when it lasts to the window's end
     * @param before    the outcome under the old config
     * @param after     the outcome under the new config
     */
    public record Change(DiffFlow flow, List<String> operators, Instant from, Instant until, Outcome before,
                         Outcome after) {
        public Change {
            operators = Collections.unmodifiableList(new ArrayList<>(operators));
        }
    }

    /**
     * @param from       the window's start, or null for before every phase
     * @param to         the window's end (inclusive), or null for no end
     * @param boundaries the phase boundaries of either config in the window, after {@code from}
     * @param operators  the operators evaluated (a single null when neither config has any)
     * @param flowCount  how many flows were evaluated
     * @param changes    the differences, by start instant, then in flow order
     */
    public record Result(Instant from, Instant to, List<Instant> boundaries, List<String> operators, int flowCount,
                         List<Change> changes) {

        public Result {
            boundaries = List.copyOf(boundaries);
            operators = Collections.unmodifiableList(new ArrayList<>(operators));
            changes = List.copyOf(changes);
        }

        /** How many distinct flows changed. */
        public long changedFlows() {
            return changes.stream().map(Change::flow).distinct().count();
        }
    }

    /**
     * @param from window start, or null for before every phase of either config
     * @param to   window end (inclusive), or null for none
     * @throws IllegalArgumentException if a flow names an operator neither config knows, or the
     *                                  window is backwards
     */
    public static Result compare(OpgateConfig oldConfig, OpgateConfig newConfig, List<DiffFlow> flows,
                                 Instant from, Instant to) {
        if (from != null && to != null && to.isBefore(from)) {
            throw new IllegalArgumentException("window ends at " + to + " before it starts at " + from
                    + " (expected: --to after --from)");
        }
        List<String> operators = operators(oldConfig, newConfig);
        TreeSet<Instant> bounds = new TreeSet<>();
        PolicyEngine oldEngine = oldConfig.policyEngine();
        PolicyEngine newEngine = newConfig.policyEngine();
        bounds.addAll(oldEngine.boundaries());
        bounds.addAll(newEngine.boundaries());
        List<Instant> boundaries = bounds.stream()
                .filter(b -> (from == null || b.isAfter(from)) && (to == null || !b.isAfter(to)))
                .toList();
        List<Instant> instants = new ArrayList<>();
        instants.add(from == null ? Instant.MIN : from);
        instants.addAll(boundaries);

        IndexedClassifier oldRules = new IndexedClassifier(oldConfig.rules());
        IndexedClassifier newRules = new IndexedClassifier(newConfig.rules());
        FlowDecider oldDecider = new FlowDecider(oldRules, oldEngine);
        FlowDecider newDecider = new FlowDecider(newRules, newEngine);
        List<Change> changes = new ArrayList<>();
        Map<DiffFlow, Integer> order = new LinkedHashMap<>();
        for (DiffFlow df : flows) {
            order.putIfAbsent(df, order.size());
            List<String> ops = operatorsOf(df, operators);
            Classification oc = oldRules.classify(df.flow());
            Classification nc = newRules.classify(df.flow());
            Map<ChangeKey, Change> grouped = new LinkedHashMap<>();
            for (String op : ops) {
                Change open = null;
                for (Instant t : instants) {
                    Flow f = withOperatorAt(df.flow(), op, t);
                    boolean tunnel = FlowDecider.isTunnel(f);
                    Outcome before = Outcome.of(tunnel ? oldDecider.decideTunnel(f, t) : oldEngine.decide(oc, f, t));
                    Outcome after = Outcome.of(tunnel ? newDecider.decideTunnel(f, t) : newEngine.decide(nc, f, t));
                    boolean differs = !before.sameAs(after);
                    if (open != null && (!differs || !open.before().sameAs(before) || !open.after().sameAs(after))) {
                        merge(grouped, new Change(df, List.of(), open.from(), t, open.before(), open.after()), op);
                        open = null;
                    }
                    if (differs && open == null) {
                        open = new Change(df, List.of(), t == Instant.MIN ? null : t, null, before, after);
                    }
                }
                if (open != null) {
                    merge(grouped, open, op);
                }
            }
            changes.addAll(grouped.values());
        }
        changes.sort(Comparator.comparing((Change c) -> c.from() == null ? Instant.MIN : c.from())
                .thenComparing(c -> order.get(c.flow())));
        return new Result(from, to, boundaries, operators, flows.size(), changes);
    }

    /**
     * The zone to show an instant in: that of a policy with a phase starting there (old config
     * first), or null when no phase starts there.
     */
    public static ZoneId zoneOf(Instant t, OpgateConfig oldConfig, OpgateConfig newConfig) {
        for (OpgateConfig cfg : List.of(oldConfig, newConfig)) {
            for (Policy p : cfg.policies()) {
                for (Phase ph : p.phases()) {
                    if (ph.start().equals(t)) {
                        return p.zone();
                    }
                }
            }
        }
        return null;
    }

    private static void merge(Map<ChangeKey, Change> grouped, Change c, String op) {
        ChangeKey key = new ChangeKey(c.from(), c.until(), c.before().toString(), c.after().toString());
        Change have = grouped.get(key);
        List<String> ops = new ArrayList<>(have == null ? List.of() : have.operators());
        ops.add(op);
        grouped.put(key, new Change(c.flow(), ops, c.from(), c.until(), have == null ? c.before() : have.before(),
                have == null ? c.after() : have.after()));
    }

    private record ChangeKey(Instant from, Instant until, String before, String after) {
    }

    /** Old config's operators in order, then the new config's others; a single null when there are none. */
    static List<String> operators(OpgateConfig oldConfig, OpgateConfig newConfig) {
        Set<String> ids = new LinkedHashSet<>();
        oldConfig.operators().stream().map(Operator::id).forEach(ids::add);
        newConfig.operators().stream().map(Operator::id).forEach(ids::add);
        return ids.isEmpty() ? Collections.singletonList(null) : new ArrayList<>(ids);
    }

    private static List<String> operatorsOf(DiffFlow df, List<String> operators) {
        String op = df.flow().operator();
        if (op == null) {
            return operators;
        }
        if (!operators.contains(op)) {
            throw new IllegalArgumentException(df.source() + ": operator '" + op + "' is in neither config"
                    + " (expected: " + (operators.get(0) == null ? "no operator" : "one of " + String.join(", ", operators))
                    + ")");
        }
        return List.of(op);
    }

    private static Flow withOperatorAt(Flow f, String op, Instant t) {
        return new Flow(f.host(), f.sni(), f.ip(), f.port(), op, f.subscriber(), f.client(), f.listener(), t);
    }
}
