package org.opgate.admin;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.opgate.classify.Classification;
import org.opgate.flow.Flow;
import org.opgate.gateway.Gateway;
import org.opgate.gateway.GatewayRuntime;
import org.opgate.policy.AppliedPolicy;
import org.opgate.policy.Decision;
import org.opgate.policy.Operator;
import org.opgate.policy.Phase;
import org.opgate.policy.Policy;
import org.opgate.policy.PolicyEngine;
import org.opgate.policy.Timeline;
import org.opgate.policy.Verdict;
import org.opgate.scenario.ScenarioEvent;

/**
 * What the dashboard shows at one instant of the gateway clock, as a JSON-ready map: the clock,
 * the phase in force per class and operator, the next step target (the next scenario event or
 * phase boundary, whichever is first), the counters, the timeline and the last decisions.
 * Without a scenario the counters are the gateway's decisions per class and verdict (plus cuts)
 * and the timeline is the policies' phase boundaries; with one, its sessions and its events.
 */
final class Dashboard {

    /** Decisions shown under "last decisions". */
    static final int RECENT = 10;
    /** Scenario outcomes, in the order the dashboard shows them. */
    private static final List<String> SESSION_OUTCOMES = List.of("completed", "refused", "cut", "error");

    private final Gateway gateway;
    private final EventHub events;

    Dashboard(Gateway gateway, EventHub events) {
        this.gateway = gateway;
        this.events = events;
    }

    /** A step target: a scenario event or a policy phase boundary. */
    record Step(Instant at, String kind, String label) {
    }

    /**
     * The first scenario event or phase boundary strictly after {@code t}, whichever comes first
     * (an event wins a tie: it names what happens), or null if neither is left.
     */
    Step nextStep(Instant t, ScenarioFeed scenario) {
        GatewayRuntime rt = gateway.runtime();
        Instant boundary = rt.policies().nextBoundaryAfter(t);
        ScenarioEvent event = scenario == null ? null
                : scenario.events().stream().filter(e -> e.at().isAfter(t)).findFirst().orElse(null);
        if (event != null && (boundary == null || !boundary.isBefore(event.at()))) {
            return new Step(event.at(), "event", event.name());
        }
        if (boundary == null) {
            return null;
        }
        List<String> changes = new ArrayList<>();
        for (Timeline.Row r : timeline(rt, boundary.minusNanos(1), boundary)) {
            changes.add(change(r));
        }
        return new Step(boundary, "boundary", String.join("; ", changes));
    }

    Map<String, Object> snapshot(Map<String, Object> clock, ScenarioFeed scenario) {
        GatewayRuntime rt = gateway.runtime();
        Instant now = Instant.parse((String) clock.get("instant"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clock", clock);
        m.put("zone", zone(rt).getId());
        m.put("version", rt.config().version());
        m.put("scenario", scenario == null ? null : scenarioSummary(scenario));
        Step next = nextStep(now, scenario);
        m.put("next", next == null ? null : step(next));
        m.put("phases", phases(rt, now));
        m.put("counters", scenario == null ? gatewayCounters(rt) : sessionCounters(scenario));
        m.put("timeline", scenario == null ? boundaryTimeline(rt, now) : eventTimeline(scenario));
        List<Map<String, Object>> recent = new ArrayList<>(events.recent(RECENT));
        Collections.reverse(recent);
        m.put("decisions", recent);
        return m;
    }

    /** The zone the policies write their dates in (the first policy's), or UTC without policies. */
    private static ZoneId zone(GatewayRuntime rt) {
        return rt.policies().policies().stream().map(Policy::zone).findFirst().orElse(ZoneOffset.UTC);
    }

    private static Map<String, Object> scenarioSummary(ScenarioFeed s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("title", s.title());
        m.put("eventsPassed", s.eventsPassed());
        m.put("events", s.events().size());
        return m;
    }

    private static Map<String, Object> step(Step s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", s.at().toString());
        m.put("kind", s.kind());
        m.put("label", s.label());
        return m;
    }

    /** Classes of the rules in declaration order, then classes only policies name (like OTHER). */
    private static List<String> classes(GatewayRuntime rt) {
        Set<String> out = new LinkedHashSet<>();
        rt.config().rules().classes().forEach(c -> out.add(c.name()));
        rt.policies().policies().forEach(p -> out.add(p.trafficClass()));
        return List.copyOf(out);
    }

    private static List<String> operatorIds(GatewayRuntime rt) {
        return rt.config().operators().stream().map(Operator::id).toList();
    }

    /**
     * The phase in force per class and operator; operators in the same phase share a row, and a
     * row naming every operator says "all".
     */
    private static List<Map<String, Object>> phases(GatewayRuntime rt, Instant now) {
        List<String> ops = operatorIds(rt);
        List<String> each = ops.isEmpty() ? Collections.singletonList(null) : ops;
        PolicyEngine engine = rt.policies();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String cls : classes(rt)) {
            Map<PhaseKey, List<String>> grouped = new LinkedHashMap<>();
            for (String op : each) {
                Flow flow = Flow.builder().port(1).operator(op).build();
                Decision d = engine.decide(new Classification(cls, null), flow, now);
                PhaseKey k = new PhaseKey(d.decisive(), d.verdict(), nextChange(engine, cls, op, now), d.reason());
                grouped.computeIfAbsent(k, x -> new ArrayList<>());
                if (op != null) {
                    grouped.get(k).add(op);
                }
            }
            grouped.forEach((k, list) -> {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("class", cls);
                r.put("operators", list.size() == ops.size() ? List.of("all") : List.copyOf(list));
                AppliedPolicy a = k.decisive();
                r.put("policy", a == null ? null : a.policy().id());
                r.put("phase", a == null ? null : a.phase().name());
                r.put("verdict", k.verdict().configName());
                r.put("since", a == null ? null : a.phase().start().toString());
                r.put("until", k.until() == null ? null : k.until().toString());
                r.put("reason", k.reason());
                rows.add(r);
            });
        }
        return rows;
    }

    private record PhaseKey(AppliedPolicy decisive, Verdict verdict, Instant until, String reason) {
        PhaseKey {
            Objects.requireNonNull(verdict);
        }
    }

    /** The next phase start after {@code now} of any policy on {@code cls} that binds {@code op}. */
    private static Instant nextChange(PolicyEngine engine, String cls, String op, Instant now) {
        Instant next = null;
        for (Policy p : engine.policiesFor(cls)) {
            if (!p.bindsOperator(op)) {
                continue;
            }
            for (Phase ph : p.phases()) {
                if (ph.start().isAfter(now) && (next == null || ph.start().isBefore(next))) {
                    next = ph.start();
                }
            }
        }
        return next;
    }

    private Map<String, Object> gatewayCounters(GatewayRuntime rt) {
        Map<String, Map<String, Long>> counted = events.counts().snapshot();
        Set<Verdict> shown = new TreeSet<>(List.of(Verdict.ALLOW, Verdict.BLOCK));
        rt.policies().policies().forEach(p -> p.phases().forEach(ph -> shown.add(ph.action().verdict())));
        counted.values().forEach(byVerdict -> byVerdict.keySet().forEach(v -> {
            if (!v.equals(DecisionCounts.CUT)) {
                shown.add(Verdict.valueOf(v.toUpperCase(Locale.ROOT)));
            }
        }));
        List<String> outcomes = new ArrayList<>(shown.stream().map(Verdict::configName).toList());
        outcomes.add(DecisionCounts.CUT);
        Map<String, String> groups = new LinkedHashMap<>();
        for (String o : outcomes) {
            groups.put(o, o.equals("block") || o.equals(DecisionCounts.CUT) ? "stopped" : "through");
        }
        Map<String, Map<String, Long>> rows = new LinkedHashMap<>();
        for (String cls : classes(rt)) {
            rows.put(cls, new TreeMap<>());
        }
        counted.forEach(rows::put);
        return counters("gateway", groups, rows);
    }

    private static Map<String, Object> sessionCounters(ScenarioFeed s) {
        Map<String, String> groups = new LinkedHashMap<>();
        groups.put("completed", "through");
        groups.put("refused", "stopped");
        groups.put("cut", "stopped");
        groups.put("error", "other");
        Map<String, Map<String, Long>> rows = new LinkedHashMap<>(s.sessions());
        rows.values().forEach(byOutcome -> byOutcome.keySet().forEach(o -> groups.putIfAbsent(o, "other")));
        return counters("scenario", groups, rows);
    }

    /**
     * @param groups outcome → "through", "stopped" or "other", in column order (the chart sums
     *               each class's "through" and "stopped" outcomes)
     */
    private static Map<String, Object> counters(String source, Map<String, String> groups, Map<String, Map<String, Long>> rows) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", source);
        m.put("outcomes", List.copyOf(groups.keySet()));
        m.put("groups", groups);
        Map<String, Map<String, Long>> classes = new LinkedHashMap<>();
        rows.forEach((cls, byOutcome) -> {
            Map<String, Long> full = new LinkedHashMap<>();
            groups.keySet().forEach(o -> full.put(o, byOutcome.getOrDefault(o, 0L)));
            classes.put(cls, full);
        });
        m.put("classes", classes);
        return m;
    }

    private static List<Timeline.Row> timeline(GatewayRuntime rt, Instant from, Instant to) {
        return Timeline.of(rt.policies(), classes(rt), operatorIds(rt), from, to);
    }

    private static String change(Timeline.Row r) {
        return r.trafficClass() + " " + r.before().configName() + " → " + r.after().configName();
    }

    private static List<Map<String, Object>> boundaryTimeline(GatewayRuntime rt, Instant now) {
        List<String> ops = operatorIds(rt);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Timeline.Row r : timeline(rt, null, null)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", r.at().toString());
            m.put("kind", "boundary");
            m.put("name", change(r));
            String who = r.operators().isEmpty() || r.operators().size() == ops.size() ? "all operators"
                    : String.join(", ", r.operators());
            m.put("description", r.phases().stream()
                    .map(p -> "policy " + p.policy().id() + ", phase '" + p.phase().name() + "'")
                    .reduce((a, b) -> a + "; " + b).orElse("") + " (" + who + ")");
            m.put("sources", List.of());
            m.put("passed", !r.at().isAfter(now));
            out.add(m);
        }
        return out;
    }

    private static List<Map<String, Object>> eventTimeline(ScenarioFeed s) {
        List<ScenarioEvent> list = s.events();
        int passed = s.eventsPassed();
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            ScenarioEvent e = list.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", e.at().toString());
            m.put("kind", "event");
            m.put("name", e.name());
            m.put("description", e.description());
            m.put("sources", e.sources());
            m.put("passed", i < passed);
            out.add(m);
        }
        return out;
    }
}
