package org.opgate.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opgate.classify.EndpointRule;
import org.opgate.classify.FieldCheck;
import org.opgate.flow.Flow;
import org.opgate.gateway.enforce.Outcome;
import org.opgate.gateway.enforce.Tunnel;
import org.opgate.policy.AppliedPolicy;
import org.opgate.policy.Decision;

/**
 * The JSON shape of decision-log lines, server-sent events and {@code GET /decisions}: one
 * place, so every consumer sees the same fields.
 */
public final class DecisionRecords {

    private DecisionRecords() {
    }

    public static Map<String, Object> decision(String listener, Outcome o, String configVersion) {
        Flow f = o.flow();
        Decision d = o.decision();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "decision");
        m.put("time", String.valueOf(f.at()));
        m.put("listener", listener);
        m.put("flow", flow(f));
        m.put("class", o.trafficClass());
        var rule = d.classification().rule();
        if (rule == null) {
            m.put("rule", null);
        } else {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", rule.id());
            r.put("location", rule.location().toString());
            m.put("rule", r);
        }
        m.put("policies", policies(d.applied()));
        if (!d.shadow().isEmpty()) {
            m.put("shadow", policies(d.shadow()));
            m.put("wouldBe", d.wouldBe().configName());
        }
        m.put("verdict", d.verdict().configName());
        m.put("reason", d.reason());
        if (o.fronting()) {
            m.put("fronting", true);
        }
        if (o.revised()) {
            m.put("revised", true);
        }
        m.put("config", configVersion);
        return m;
    }

    private static List<Map<String, Object>> policies(List<AppliedPolicy> list) {
        return list.stream().map(a -> {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("id", a.policy().id());
            p.put("phase", a.phase().name());
            p.put("verdict", a.verdict().configName());
            if (a.exemptReason() != null) {
                p.put("exempt", a.exemptReason());
            }
            return p;
        }).toList();
    }

    public static Map<String, Object> flow(Flow f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", f.host());
        m.put("sni", f.sni());
        m.put("ip", f.ip() == null ? null : f.ip().toString());
        m.put("port", f.port());
        m.put("operator", f.operator());
        m.put("subscriber", f.subscriber());
        m.put("client", f.client() == null ? null : f.client().toString());
        m.put("listener", f.listener() == null ? null : f.listener().configName());
        return m;
    }

    public static Map<String, Object> tunnelEnd(Tunnel t, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "tunnel-end");
        m.put("time", String.valueOf(now));
        m.put("tunnel", t.id());
        m.put("listener", t.listener());
        m.put("class", t.outcome().trafficClass());
        m.put("operator", t.outcome().flow().operator());
        m.put("target", t.outcome().flow().target() + ":" + t.outcome().flow().port());
        m.put("bytesUp", t.bytesUp());
        m.put("bytesDown", t.bytesDown());
        m.put("durationSeconds", t.start() == null ? null : Duration.between(t.start(), now).toMillis() / 1000.0);
        m.put("end", t.endReason() == null ? "closed" : t.endReason());
        if ("cut".equals(t.endReason())) {
            m.put("reason", t.outcome().decision().reason());
        }
        return m;
    }

    public static Map<String, Object> tunnel(Tunnel t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("listener", t.listener());
        m.put("start", String.valueOf(t.start()));
        m.put("flow", flow(t.outcome().flow()));
        m.put("class", t.outcome().trafficClass());
        m.put("verdict", t.outcome().decision().verdict().configName());
        m.put("policy", t.outcome().decision().policyId());
        m.put("bytesUp", t.bytesUp());
        m.put("bytesDown", t.bytesDown());
        if (t.hello() != null) {
            m.put("alpn", t.hello().alpn());
            m.put("ech", t.hello().ech());
        }
        return m;
    }

    public static Map<String, Object> refusal(String listener, String reason, String detail, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "refusal");
        m.put("time", String.valueOf(now));
        m.put("listener", listener);
        m.put("reason", reason);
        m.put("detail", detail);
        return m;
    }

    public static Map<String, Object> cut(Tunnel t, Instant boundary) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "cut");
        m.put("time", String.valueOf(boundary));
        m.put("tunnel", t.id());
        m.put("class", t.outcome().trafficClass());
        m.put("operator", t.outcome().flow().operator());
        m.put("reason", t.outcome().decision().reason());
        return m;
    }

    /** A rule: id, class, {@code file:line:column} and its fields. */
    public static Map<String, Object> rule(EndpointRule r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("class", r.trafficClass());
        m.put("location", r.location().toString());
        if (r.host() != null) {
            m.put("host", r.host().toString());
        }
        if (r.sni() != null) {
            m.put("sni", r.sni().toString());
        }
        if (r.cidr() != null) {
            m.put("cidr", r.cidr().toString());
        }
        if (r.ports() != null) {
            m.put("ports", r.ports().toString());
        }
        return m;
    }

    /** One field a rule compared with a flow. */
    public static Map<String, Object> check(FieldCheck c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("field", c.field());
        m.put("rule", c.rule());
        m.put("value", c.value());
        m.put("matched", c.matched());
        return m;
    }
}
