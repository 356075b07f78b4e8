package org.opgate.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.opgate.classify.Classification;
import org.opgate.classify.Explanation;
import org.opgate.classify.FieldCheck;
import org.opgate.classify.IndexedClassifier;
import org.opgate.classify.RuleTrace;
import org.opgate.classify.TrafficClass;
import org.opgate.config.OpgateConfig;
import org.opgate.flow.Flow;
import org.opgate.policy.Decision;
import org.opgate.policy.Operator;
import org.opgate.policy.PolicyEngine;
import org.opgate.policy.SubscriberResolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code opgate explain --host H [--sni S] [--ip IP] --port P [--at T]}: which class a flow falls
 * in, by which rule (file:line), the facts each field compared, and the near misses; with
 * {@code --at}, also the decision: verdict, policy, phase, and the reason the subscriber sees.
 *
 * <pre>
 * $ opgate explain --host gb.srp.blackberry.com --port 3101
 * class     BES
 * rule      bes-srp-host  config/classes/blackberry.yaml:40:9
 * </pre>
 */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Explain how a flow is classified (class, winning rule, facts compared, near misses)"
                + " and, with --at, decided (verdict, policy, phase, reason).")
final class ExplainCommand implements Callable<Integer> {

    private static final int MAX_NEAR_MISSES = 10;

    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "H", description = "Requested host name or IP literal (CONNECT target).")
    String host;

    @Option(names = "--sni", paramLabel = "S", description = "TLS server name from the ClientHello.")
    String sni;

    @Option(names = "--ip", paramLabel = "IP", description = "Destination address (resolved or literal).")
    String ip;

    @Option(names = "--port", paramLabel = "P", required = true, description = "Destination port, 1..65535.")
    int port;

    @Option(names = "--at", paramLabel = "INSTANT",
            description = "Also decide: the policies in force at this instant (ISO-8601 with offset or zone).")
    String at;

    @Option(names = "--operator", paramLabel = "O", description = "Operator id (with --at). Default: each operator.")
    String operator;

    @Option(names = "--subscriber", paramLabel = "S",
            description = "Subscriber id or MSISDN (with --at), for exemptions and operator lookup.")
    String subscriber;

    @Option(names = "--config", paramLabel = "DIR", defaultValue = ConfigOptions.DEFAULT_DIR,
            description = "Config directory. Default: $OPGATE_CONFIG, else ./config.")
    Path config;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Flow flow = flow();
        Instant instant = at == null ? null : Instants.parse(at, "--at");
        if (at == null && (operator != null || subscriber != null)) {
            throw new UsageException("--operator and --subscriber need --at (expected: --at INSTANT)");
        }
        OpgateConfig cfg = ConfigOptions.load(config, "explain", spec.commandLine().getErr());
        if (cfg == null) {
            return ExitCodes.USAGE;
        }
        List<DecisionGroup> decisions = instant == null ? List.of() : decide(cfg, flow, instant);
        Explanation ex = Explanation.of(cfg.rules(), flow, MAX_NEAR_MISSES);
        Classification indexed = new IndexedClassifier(cfg.rules()).classify(flow);
        if (!indexed.equals(ex.classification())) {
            throw new IllegalStateException("index gives " + indexed + " but the reference walk gives "
                    + ex.classification());
        }
        if (json) {
            Map<String, Object> m = toJson(ex);
            if (instant != null) {
                m.put("at", instant.toString());
                m.put("decisions", decisions.stream().map(DecisionGroup::toJson).toList());
            }
            out.println(Json.write(m));
        } else {
            print(out, ex, cfg);
            if (instant != null) {
                out.println("at        " + at + "  (" + instant + ")");
                for (DecisionGroup g : decisions) {
                    g.print(out, cfg.operators().size());
                }
            }
        }
        return ExitCodes.OK;
    }

    /** Decides the flow for the chosen operator, or for each operator, grouping equal outcomes. */
    private List<DecisionGroup> decide(OpgateConfig cfg, Flow flow, Instant instant) {
        List<String> ops = new ArrayList<>();
        SubscriberResolver resolver = new SubscriberResolver(cfg.operators());
        if (operator != null) {
            if (cfg.operator(operator) == null) {
                throw new UsageException("--operator '" + operator + "' is not in the config (expected: one of "
                        + cfg.operators().stream().map(Operator::id).toList() + ")");
            }
            Operator owner = subscriber == null ? null : resolver.byMsisdn(subscriber);
            if (owner != null && !owner.id().equals(operator)) {
                throw new UsageException("--subscriber " + subscriber + " is a number of " + owner.id()
                        + ", not of --operator " + operator + " (expected: a matching pair, or only one of them)");
            }
            ops.add(operator);
        } else if (subscriber != null && resolver.byMsisdn(subscriber) != null) {
            ops.add(resolver.byMsisdn(subscriber).id());
        } else if (cfg.operators().isEmpty()) {
            ops.add(null);
        } else {
            cfg.operators().forEach(o -> ops.add(o.id()));
        }
        PolicyEngine engine = cfg.policyEngine();
        Classification c = new IndexedClassifier(cfg.rules()).classify(flow);
        Map<String, DecisionGroup> groups = new LinkedHashMap<>();
        for (String op : ops) {
            Flow f = Flow.builder().host(flow.host()).sni(flow.sni()).ip(flow.ip()).port(flow.port())
                    .operator(op).subscriber(subscriber).at(instant).build();
            Decision d = engine.decide(c, f, instant);
            String key = d.verdict() + "|" + d.wouldBe() + "|" + d.reason() + "|" + d.policyId() + "|"
                    + d.applied().size() + "|" + d.shadow().size();
            groups.computeIfAbsent(key, k -> new DecisionGroup(d, new ArrayList<>())).operators().add(op);
        }
        return new ArrayList<>(groups.values());
    }

    private Flow flow() {
        if (host == null && sni == null && ip == null) {
            throw new UsageException("nothing to classify (expected: at least one of --host, --sni, --ip)");
        }
        Flow.Builder b = Flow.builder().port(port);
        if (port < 1 || port > 65535) {
            throw new UsageException("--port " + port + " (expected: 1..65535)");
        }
        try {
            b.host(host);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--host " + e.getMessage());
        }
        try {
            b.sni(sni);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--sni " + e.getMessage());
        }
        try {
            b.ip(ip);
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException("--ip " + e.getMessage());
        }
    }

    private static void print(PrintWriter out, Explanation ex, OpgateConfig cfg) {
        Flow f = ex.flow();
        StringBuilder facts = new StringBuilder();
        if (f.host() != null) {
            facts.append("host ").append(f.host()).append(", ");
        }
        if (f.sni() != null) {
            facts.append("sni ").append(f.sni()).append(", ");
        }
        if (f.ip() != null) {
            facts.append("ip ").append(f.ip()).append(", ");
        }
        facts.append("port ").append(f.port());
        out.println("flow      " + facts);
        Classification c = ex.classification();
        TrafficClass tc = cfg.rules().trafficClass(c.trafficClass());
        out.println("class     " + c.trafficClass()
                + (tc != null && !tc.description().isEmpty() ? "  (" + tc.description() + ")" : ""));
        if (ex.winner() == null) {
            out.println("rule      none: no rule matched, so the class is OTHER");
        } else {
            out.println("rule      " + ex.winner().rule().id() + "  " + ex.winner().rule().location());
            printChecks(out, "compared  ", ex.winner());
        }
        if (!ex.nearMisses().isEmpty()) {
            out.println("near misses (a name or address matched, another field did not):");
            for (RuleTrace t : ex.nearMisses()) {
                out.println("  " + t.rule().id() + " (" + t.rule().trafficClass() + ")  " + t.rule().location());
                printChecks(out, "    ", t);
            }
            if (ex.moreNearMisses() > 0) {
                out.println("  … and " + ex.moreNearMisses() + " more");
            }
        }
        if (!ex.alsoMatched().isEmpty()) {
            out.println("also matched, but an earlier rule wins (first match):");
            for (RuleTrace t : ex.alsoMatched()) {
                out.println("  " + t.rule().id() + " (" + t.rule().trafficClass() + ")  " + t.rule().location());
            }
        }
    }

    private static void printChecks(PrintWriter out, String firstIndent, RuleTrace t) {
        String indent = firstIndent;
        for (FieldCheck c : t.checks()) {
            out.printf("%s%-5s %-28s vs %-34s %s%n", indent, c.field(), c.rule(), c.value(),
                    c.matched() ? "match" : "NO MATCH");
            indent = " ".repeat(firstIndent.length());
        }
    }

    private static Map<String, Object> toJson(Explanation ex) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("flow", Json.flow(ex.flow()));
        m.put("class", ex.classification().trafficClass());
        m.put("rule", ex.winner() == null ? null : Json.rule(ex.winner().rule()));
        m.put("checks", ex.winner() == null ? List.of() : ex.winner().checks().stream().map(Json::check).toList());
        m.put("nearMisses", ex.nearMisses().stream().map(ExplainCommand::trace).toList());
        m.put("moreNearMisses", ex.moreNearMisses());
        m.put("alsoMatched", ex.alsoMatched().stream().map(t -> Json.rule(t.rule())).toList());
        return m;
    }

    private static Map<String, Object> trace(RuleTrace t) {
        Map<String, Object> m = Json.rule(t.rule());
        m.put("checks", t.checks().stream().map(Json::check).toList());
        return m;
    }
}
