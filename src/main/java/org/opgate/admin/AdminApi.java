package org.opgate.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opgate.classify.Classification;
import org.opgate.classify.Explanation;
import org.opgate.classify.RuleTrace;
import org.opgate.clock.GatewayClock;
import org.opgate.clock.SimulatedClock;
import org.opgate.config.OpgateConfig;
import org.opgate.flow.Flow;
import org.opgate.gateway.Gateway;
import org.opgate.gateway.GatewayRuntime;
import org.opgate.gateway.enforce.Outcome;
import org.opgate.metrics.DecisionRecords;
import org.opgate.policy.Decision;
import org.opgate.policy.Phase;
import org.opgate.policy.Policy;
import org.opgate.report.AuthorityReport;

/**
 * What the admin endpoints do, independent of HTTP: each method returns a JSON-ready value or
 * throws {@link AdminException} with the status and what was expected.
 */
public final class AdminApi {

    private final Gateway gateway;
    private final Reloader reloader;
    private final EventHub events;
    private final AuthorityReport report;
    private final PrometheusMeterRegistry prometheus;
    private final Dashboard dashboard;
    private volatile ScenarioFeed scenario;

    public AdminApi(Gateway gateway, Reloader reloader, EventHub events, AuthorityReport report,
                    PrometheusMeterRegistry prometheus) {
        this.gateway = gateway;
        this.reloader = reloader;
        this.events = events;
        this.report = report;
        this.prometheus = prometheus;
        this.dashboard = new Dashboard(gateway, events);
    }

    /** Shows a running scenario's timeline and sessions on the dashboard and the API. */
    public void attach(ScenarioFeed feed) {
        this.scenario = feed;
    }

    /** The attached scenario, or null. */
    public ScenarioFeed scenario() {
        return scenario;
    }

    EventHub events() {
        return events;
    }

    Map<String, Object> health() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ok");
        m.put("version", gateway.runtime().config().version());
        m.put("clock", gateway.clock().instant().toString());
        m.put("tunnels", gateway.tunnels().size());
        m.put("listeners", gateway.listeners().stream().map(l -> l.describe()).toList());
        return m;
    }

    Map<String, Object> config() {
        OpgateConfig cfg = gateway.runtime().config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", cfg.version());
        m.put("files", cfg.files());
        m.put("classes", cfg.rules().classes().stream().map(c -> {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("name", c.name());
            cm.put("description", c.description());
            cm.put("rules", cfg.rules().rulesOf(c.name()).stream().map(DecisionRecords::rule).toList());
            return cm;
        }).toList());
        m.put("policies", cfg.policies().stream().map(AdminApi::policy).toList());
        m.put("operators", cfg.operators().stream().map(o -> {
            Map<String, Object> om = new LinkedHashMap<>();
            om.put("id", o.id());
            om.put("name", o.name());
            om.put("pools", o.pools().stream().map(String::valueOf).toList());
            om.put("msisdnPrefixes", o.msisdnPrefixes());
            return om;
        }).toList());
        return m;
    }

    private static Map<String, Object> policy(Policy p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("class", p.trafficClass());
        m.put("operators", p.operators().isEmpty() ? "all" : List.copyOf(p.operators()));
        m.put("zone", p.zone().getId());
        m.put("mode", p.mode().name().toLowerCase());
        m.put("location", p.location().toString());
        List<Map<String, Object>> phases = new ArrayList<>();
        for (Phase ph : p.phases()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("name", ph.name());
            pm.put("from", ph.from().toString());
            pm.put("start", ph.start().toString());
            pm.put("action", ph.action().configName());
            if (ph.cutExisting()) {
                pm.put("cutExisting", true);
            }
            if (ph.bytesPerSecond() > 0) {
                pm.put("bytesPerSecond", ph.bytesPerSecond());
            }
            pm.put("reason", ph.reason());
            phases.add(pm);
        }
        m.put("phases", phases);
        return m;
    }

    Reloader.Result reload() {
        return reloader.reload("admin");
    }

    Map<String, Object> clock() {
        GatewayClock c = gateway.clock();
        Map<String, Object> m = new LinkedHashMap<>();
        Instant now = c.instant();
        m.put("instant", now.toString());
        m.put("mode", c.isSimulated() ? "simulated" : "real");
        m.put("rate", c.rate());
        m.put("paused", c.isPaused());
        Instant next = gateway.runtime().policies().nextBoundaryAfter(now);
        m.put("nextBoundary", next == null ? null : next.toString());
        return m;
    }

    /** What the dashboard shows now: see {@link Dashboard}. */
    Map<String, Object> dashboard() {
        return dashboard.snapshot(clock(), scenario);
    }

    /**
     * Moves a simulated clock: any of {@code paused} (true/false), {@code rate} (number),
     * {@code instant} (ISO-8601 with offset or zone), {@code jump} (ISO-8601 duration like PT1H,
     * "next-boundary", or "next-event": the next scenario event or phase boundary, whichever is
     * first), applied in that order.
     */
    Map<String, Object> setClock(Map<String, Object> body) {
        if (!(gateway.clock() instanceof SimulatedClock sim)) {
            throw new AdminException(HttpResponseStatus.CONFLICT, "the gateway clock is real and cannot be moved",
                    "a gateway started with a simulated clock (clock.mode: simulated, or run --at)");
        }
        for (String k : body.keySet()) {
            if (!List.of("paused", "rate", "instant", "jump").contains(k)) {
                throw new AdminException(HttpResponseStatus.BAD_REQUEST, "unknown field '" + k + "'",
                        "any of paused, rate, instant, jump");
            }
        }
        if (body.isEmpty()) {
            throw new AdminException(HttpResponseStatus.BAD_REQUEST, "empty clock change", "any of paused, rate, instant, jump");
        }
        Object paused = body.get("paused");
        Object rate = body.get("rate");
        Object instant = body.get("instant");
        Object jump = body.get("jump");
        if (paused != null && !(paused instanceof Boolean)) {
            throw bad("paused", paused, "true or false");
        }
        if (rate != null && !(rate instanceof Number n && n.doubleValue() > 0 && Double.isFinite(n.doubleValue()))) {
            throw bad("rate", rate, "a number greater than 0");
        }
        Instant at = null;
        if (instant != null) {
            try {
                at = ZonedDateTime.parse(String.valueOf(instant)).toInstant();
            } catch (DateTimeParseException e) {
                throw bad("instant", instant, "ISO-8601 with an offset or zone, like 2015-12-01T00:00+05:00");
            }
        }
        Duration by = null;
        if (jump != null && !"next-boundary".equals(jump) && !"next-event".equals(jump)) {
            try {
                by = Duration.parse(String.valueOf(jump));
            } catch (DateTimeParseException e) {
                throw bad("jump", jump, "an ISO-8601 duration like PT1H or P1D, \"next-boundary\" or \"next-event\"");
            }
        }
        // Checked before anything is applied: a refused request leaves the clock as it was.
        try {
            if (at != null) {
                SimulatedClock.checkInstant(at);
            }
            if (by != null) {
                SimulatedClock.checkJump(at != null ? at : sim.instant(), by);
            }
        } catch (IllegalArgumentException e) {
            throw new AdminException(HttpResponseStatus.BAD_REQUEST, e.getMessage(), "an instant from "
                    + SimulatedClock.EARLIEST + " to " + SimulatedClock.LATEST);
        }
        if (Boolean.TRUE.equals(paused)) {
            sim.pause();
        } else if (Boolean.FALSE.equals(paused)) {
            sim.resume();
        }
        if (rate instanceof Number n) {
            sim.setRate(n.doubleValue());
        }
        if (at != null) {
            sim.set(at);
        }
        if (by != null) {
            sim.jump(by);
        } else if ("next-boundary".equals(jump)) {
            GatewayRuntime rt = gateway.runtime();
            if (sim.jumpToNext(t -> rt.policies().nextBoundaryAfter(t)) == null) {
                throw new AdminException(HttpResponseStatus.CONFLICT, "no phase boundary after " + sim.instant(),
                        "a policy phase still ahead of the clock");
            }
        } else if ("next-event".equals(jump)) {
            ScenarioFeed feed = scenario;
            if (sim.jumpToNext(t -> {
                Dashboard.Step next = dashboard.nextStep(t, feed);
                return next == null ? null : next.at();
            }) == null) {
                throw new AdminException(HttpResponseStatus.CONFLICT, "no scenario event or phase boundary after "
                        + sim.instant(), "an event or a policy phase still ahead of the clock");
            }
        }
        Map<String, Object> now = clock();
        Map<String, Object> event = new LinkedHashMap<>(now);
        event.put("type", "clock");
        events.publish("clock", event);
        return now;
    }

    private static AdminException bad(String field, Object value, String expected) {
        return new AdminException(HttpResponseStatus.BAD_REQUEST, field + " " + value + " is not valid", expected);
    }

    Map<String, Object> explain(Map<String, String> q) {
        String portText = q.get("port");
        if (portText == null) {
            throw new AdminException(HttpResponseStatus.BAD_REQUEST, "missing parameter port", "port=1..65535");
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw bad("port", portText, "port=1..65535");
        }
        if (q.get("host") == null && q.get("sni") == null && q.get("ip") == null) {
            throw new AdminException(HttpResponseStatus.BAD_REQUEST, "nothing to classify", "at least one of host, sni, ip");
        }
        Instant at = gateway.clock().instant();
        if (q.get("at") != null) {
            try {
                at = ZonedDateTime.parse(q.get("at")).toInstant();
            } catch (DateTimeParseException e) {
                throw bad("at", q.get("at"), "ISO-8601 with an offset or zone, like 2015-12-01T00:00+05:00");
            }
        }
        GatewayRuntime rt = gateway.runtime();
        String operator = q.get("operator");
        if (operator != null && rt.config().operator(operator) == null) {
            throw bad("operator", operator, "one of " + rt.config().operators().stream().map(o -> o.id()).toList());
        }
        Flow flow;
        try {
            flow = Flow.builder().host(q.get("host")).sni(q.get("sni")).ip(q.get("ip")).port(port).operator(operator)
                    .subscriber(q.get("subscriber")).at(at).build();
        } catch (IllegalArgumentException e) {
            throw new AdminException(HttpResponseStatus.BAD_REQUEST, e.getMessage(), "a valid host, sni, ip and port");
        }
        Explanation ex = Explanation.of(rt.config().rules(), flow, 10);
        Classification c = rt.classifier().classify(flow);
        Decision d = rt.policies().decide(c, flow, at);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("flow", DecisionRecords.flow(flow));
        m.put("at", at.toString());
        m.put("class", c.trafficClass());
        m.put("rule", c.rule() == null ? null : DecisionRecords.rule(c.rule()));
        m.put("checks", ex.winner() == null ? List.of() : checks(ex.winner()));
        m.put("nearMisses", ex.nearMisses().stream().map(t -> {
            Map<String, Object> nm = DecisionRecords.rule(t.rule());
            nm.put("checks", checks(t));
            return nm;
        }).toList());
        m.put("decision", DecisionRecords.decision("explain", new Outcome(flow, d, false, false), rt.config().version()));
        return m;
    }

    private static List<Map<String, Object>> checks(RuleTrace t) {
        return t.checks().stream().map(DecisionRecords::check).toList();
    }

    List<Map<String, Object>> tunnels() {
        return gateway.tunnels().tunnels().stream().map(DecisionRecords::tunnel).toList();
    }

    List<Map<String, Object>> decisions(int n) {
        return events.recent(n);
    }

    AuthorityReport report() {
        return report;
    }

    String metrics() {
        return prometheus.scrape();
    }
}
