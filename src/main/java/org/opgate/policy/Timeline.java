package org.opgate.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.opgate.classify.Classification;
import org.opgate.flow.Flow;

/**
 * What changes when: every phase boundary in a window, per class and operator, with the verdict
 * a non-exempt subscriber gets just before and from the boundary on. Operators that see the same
 * change share one row.
 */
public final class Timeline {

    private Timeline() {
    }

    /**
     * One boundary for one class.
     *
     * @param at           the boundary instant
     * @param trafficClass the class
     * @param operators    the operators it applies to (empty when the config has none)
     * @param before       enforced verdict just before {@code at}
     * @param after        enforced verdict from {@code at} on
     * @param phases       the phases starting at {@code at}
     */
    public record Row(Instant at, String trafficClass, List<String> operators, Verdict before, Verdict after,
                      List<PolicyEngine.AppliedPhase> phases) {
    }

    /**
     * @param classes   classes to list, in this order
     * @param operators operator ids to consider; empty for a config without operators
     * @param from      window start (exclusive), or null for no bound
     * @param to        window end (inclusive), or null for no bound
     */
    public static List<Row> of(PolicyEngine engine, Collection<String> classes, List<String> operators,
                               Instant from, Instant to) {
        List<String> ops = operators.isEmpty() ? java.util.Collections.singletonList(null) : operators;
        List<Row> rows = new ArrayList<>();
        for (String cls : classes) {
            Classification c = new Classification(cls, null);
            TreeSet<Instant> instants = new TreeSet<>();
            for (Policy p : engine.policiesFor(cls)) {
                p.phases().forEach(ph -> instants.add(ph.start()));
            }
            for (Instant at : instants) {
                if ((from != null && !at.isAfter(from)) || (to != null && at.isAfter(to))) {
                    continue;
                }
                Map<Key, List<String>> grouped = new LinkedHashMap<>();
                for (String op : ops) {
                    List<PolicyEngine.AppliedPhase> phases = new ArrayList<>();
                    for (Policy p : engine.policiesFor(cls)) {
                        if (!p.bindsOperator(op)) {
                            continue;
                        }
                        for (int i = 0; i < p.phases().size(); i++) {
                            if (p.phases().get(i).start().equals(at)) {
                                phases.add(new PolicyEngine.AppliedPhase(p, i));
                            }
                        }
                    }
                    if (phases.isEmpty()) {
                        continue;
                    }
                    Flow flow = Flow.builder().port(1).operator(op).build();
                    Verdict before = engine.decide(c, flow, at.minusNanos(1)).verdict();
                    Verdict after = engine.decide(c, flow, at).verdict();
                    grouped.computeIfAbsent(new Key(before, after, phases), k -> new ArrayList<>());
                    if (op != null) {
                        grouped.get(new Key(before, after, phases)).add(op);
                    }
                }
                grouped.forEach((k, list) -> rows.add(new Row(at, cls, List.copyOf(list), k.before, k.after, k.phases)));
            }
        }
        rows.sort((a, b) -> a.at().compareTo(b.at()));
        return rows;
    }

    private record Key(Verdict before, Verdict after, List<PolicyEngine.AppliedPhase> phases) {
        Key {
            Objects.requireNonNull(phases);
        }
    }
}
