package org.opgate.interop;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import org.opgate.classify.Classification;
import org.opgate.classify.EndpointRule;
import org.opgate.classify.HostPattern;
import org.opgate.config.OpgateConfig;
import org.opgate.flow.IpPrefix;
import org.opgate.policy.Action;
import org.opgate.policy.Operator;
import org.opgate.policy.Phase;
import org.opgate.policy.Policy;

/**
 * Writes a config's classes and dated policies as an HAProxy TCP frontend that peeks at the TLS
 * ClientHello, the production counterpart of opgate's {@code sni} listener:
 *
 * <pre>
 *   client ──TLS──▶ frontend opgate (mode tcp, inspect-delay)
 *                     1. classify: per rule, in opgate's first-match order,
 *                        set-var(sess.opgate_class) str(CLASS) if !classified &lt;dst&gt; &lt;dst_port&gt; &lt;sni&gt;
 *                     2. per block phase: reject if class_CLASS { date() ge START } [{ date() lt END }]
 *                     3. accept if { req.ssl_hello_type 1 }
 *                   ──▶ default_backend opgate_upstream
 * </pre>
 *
 * A rule's conditions are ANDed (cheap {@code dst}/{@code dst_port} first, so a non-matching
 * address never waits for the ClientHello); the rules of a class are ORed because each one sets the
 * class. Classifying through a variable keeps opgate's first-match order across classes. {@code
 * host} and {@code sni} both become {@code req.ssl_sni}: in TCP mode the SNI is the only name seen.
 * Policies bound to some operators reject only from those operators' client pools ({@code src});
 * exempt pools are excluded; exempt subscribers, notify/report/throttle phases, shadow policies and
 * cut-existing cannot be expressed and become comments and notes.
 */
public final class HaproxyExporter {

    private static final String CLASS_VAR = "sess.opgate_class";

    private HaproxyExporter() {
    }

    /**
     * Exports {@code config}.
     *
     * @param bind     the frontend's {@code bind} address, like {@code 127.0.0.1:8443}
     * @param upstream the default backend's server address, like {@code 127.0.0.1:443}
     */
    public static Export export(OpgateConfig config, String bind, String upstream) {
        Objects.requireNonNull(config, "config");
        List<Note> notes = new ArrayList<>();
        StringBuilder h = new StringBuilder();
        h.append("# HAProxy configuration exported by opgate from ").append(config.directory())
                .append(" (version ").append(config.version()).append(").\n");
        h.append("# Deploy as a transparent TCP proxy in front of the subscribers' TLS traffic, so that dst and\n");
        h.append("# dst_port are the original destination. Phase instants are epoch seconds; date() is HAProxy's clock.\n");
        h.append("global\n    maxconn 4096\n\n");
        h.append("defaults\n    mode tcp\n    timeout connect 5s\n    timeout client 60s\n    timeout server 60s\n\n");
        h.append("frontend opgate\n");
        h.append("    bind ").append(bind).append('\n');
        h.append("    mode tcp\n");
        h.append("    tcp-request inspect-delay 5s\n");
        h.append("    acl opgate_classified var(").append(CLASS_VAR).append(") -m found\n");
        for (var c : config.rules().classes()) {
            h.append("    acl class_").append(c.name()).append(" var(").append(CLASS_VAR).append(") -m str ")
                    .append(c.name()).append('\n');
        }
        h.append("\n    # Classification, in opgate's first-match order: the first rule that matches sets the class.\n");
        for (EndpointRule r : config.rules().rules()) {
            rule(h, r);
        }
        h.append("\n    # Policies: block phases reject new connections from their start (until the next phase).\n");
        for (Policy p : config.policies()) {
            policy(h, p, config, notes);
        }
        h.append("\n    # Only after the policies: a complete ClientHello ends the inspection.\n");
        h.append("    tcp-request content accept if { req.ssl_hello_type 1 }\n");
        h.append("    default_backend opgate_upstream\n\n");
        h.append("backend opgate_upstream\n    mode tcp\n");
        h.append("    # Transparent deployments connect to the original destination instead.\n");
        h.append("    server upstream ").append(upstream).append('\n');
        return new Export(h.toString(), notes);
    }

    private static void rule(StringBuilder h, EndpointRule r) {
        String id = r.id();
        h.append("    # ").append(r.location().fileAndLine()).append(" rule '").append(id).append("' (")
                .append(r.trafficClass()).append("): ").append(r.describe()).append('\n');
        StringJoiner cond = new StringJoiner(" ");
        cond.add("!opgate_classified");
        if (r.cidr() != null) {
            h.append("    acl ").append(id).append(".dst dst ").append(r.cidr()).append('\n');
            cond.add(id + ".dst");
        }
        if (r.ports() != null) {
            StringJoiner ports = new StringJoiner(" ");
            r.ports().forEachRange((lo, hi) -> ports.add(lo == hi ? String.valueOf(lo) : lo + ":" + hi));
            h.append("    acl ").append(id).append(".port dst_port ").append(ports).append('\n');
            cond.add(id + ".port");
        }
        if (r.host() != null) {
            sni(h, id + ".host", r.host());
            cond.add(id + ".host");
        }
        if (r.sni() != null) {
            sni(h, id + ".sni", r.sni());
            cond.add(id + ".sni");
        }
        h.append("    tcp-request content set-var(").append(CLASS_VAR).append(") str(").append(r.trafficClass())
                .append(") if ").append(cond).append('\n');
    }

    /** {@code *.x} covers x and every name below it: an exact match on x, or a suffix match on {@code .x}. */
    private static void sni(StringBuilder h, String acl, HostPattern p) {
        h.append("    acl ").append(acl).append(" req.ssl_sni,lower -m str ").append(p.name()).append('\n');
        if (p.wildcard()) {
            h.append("    acl ").append(acl).append(" req.ssl_sni,lower -m end .").append(p.name()).append('\n');
        }
    }

    private static void policy(StringBuilder h, Policy p, OpgateConfig config, List<Note> notes) {
        h.append("    # policy '").append(p.id()).append("' (").append(p.location().fileAndLine()).append("), class ")
                .append(p.trafficClass()).append(", zone ").append(p.zone()).append('\n');
        String classAcl = Classification.OTHER_CLASS.equals(p.trafficClass())
                ? "!opgate_classified" : "class_" + p.trafficClass();
        if (p.mode() == Policy.Mode.SHADOW) {
            h.append("    #   shadow mode: computed and logged by opgate, never enforced; not exported\n");
            notes.add(new Note(p.location(), "policy '" + p.id() + "' is in shadow mode: not exported"));
            return;
        }
        List<String> scopes = scopes(p, config, h, notes);
        if (!p.exemptions().subscribers().isEmpty()) {
            notes.add(new Note(p.location(), "policy '" + p.id() + "': exempt subscribers "
                    + p.exemptions().subscribers() + " cannot be told apart by HAProxy; not exempted"));
        }
        String exempt = "";
        if (!p.exemptions().pools().isEmpty()) {
            StringJoiner pools = new StringJoiner(" ");
            p.exemptions().pools().forEach(x -> pools.add(x.toString()));
            exempt = " !{ src " + pools + " }";
        }
        for (int i = 0; i < p.phases().size(); i++) {
            Phase ph = p.phases().get(i);
            Instant end = p.phaseEnd(i);
            h.append("    #   phase '").append(ph.name()).append("' (").append(ph.location().fileAndLine())
                    .append(") from ").append(ph.from()).append(" = ").append(ph.start().getEpochSecond())
                    .append(": ").append(ph.action().configName());
            if (ph.action() != Action.BLOCK) {
                h.append(ph.action() == Action.ALLOW ? "\n" : " (opgate only: HAProxy relays these flows unchanged)\n");
                if (ph.action() != Action.ALLOW) {
                    notes.add(new Note(ph.location(), "policy '" + p.id() + "' phase '" + ph.name() + "': "
                            + ph.action().configName() + " has no HAProxy equivalent; exported as a comment"));
                }
                continue;
            }
            h.append('\n');
            if (ph.cutExisting()) {
                h.append("    #   cut-existing: connections open at the start are not closed by this rule\n");
                notes.add(new Note(ph.location(), "policy '" + p.id() + "' phase '" + ph.name()
                        + "': cut-existing has no HAProxy rule (run 'shutdown sessions' at the instant)"));
            }
            String window = " { date() ge " + ph.start().getEpochSecond() + " }"
                    + (end == null ? "" : " { date() lt " + end.getEpochSecond() + " }");
            for (String scope : scopes) {
                h.append("    tcp-request content reject if ").append(classAcl).append(scope).append(exempt)
                        .append(window).append('\n');
            }
        }
    }

    /** One condition per operator the policy binds ({@code src} pools), or one empty one for all operators. */
    private static List<String> scopes(Policy p, OpgateConfig config, StringBuilder h, List<Note> notes) {
        if (p.operators().isEmpty()) {
            return List.of("");
        }
        List<String> out = new ArrayList<>();
        for (String id : p.operators().stream().sorted().toList()) {
            Operator op = config.operator(id);
            if (op == null || op.pools().isEmpty()) {
                notes.add(new Note(p.location(), "policy '" + p.id() + "': operator '" + id
                        + "' has no client pools, so HAProxy cannot tell its subscribers apart; skipped"));
                continue;
            }
            StringJoiner pools = new StringJoiner(" ");
            op.pools().forEach((IpPrefix x) -> pools.add(x.toString()));
            out.add(" { src " + pools + " }");
            h.append("    #   operator ").append(id).append(": client pools ").append(pools).append('\n');
        }
        return out;
    }
}
