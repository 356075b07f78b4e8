package org.opgate.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.opgate.classify.Classification;
import org.opgate.classify.Classifier;
import org.opgate.classify.Explanation;
import org.opgate.classify.IndexedClassifier;
import org.opgate.config.OpgateConfig;
import org.opgate.flow.Flow;
import org.opgate.policy.Decision;
import org.opgate.policy.FlowDecider;
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
 * A requested host with an SNI is a tunnel, decided as the gateway decides it ({@link FlowDecider}):
 * when the two names fall in different classes (domain fronting), both sides are decided and the
 * more restrictive decision stands.
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
        Classifier classifier = new IndexedClassifier(cfg.rules());
        List<DecisionGroup> decisions = instant == null ? List.of() : decide(cfg, classifier, flow, instant);
        Explanation ex = Explanation.of(cfg.rules(), flow, ExplainPrinter.MAX_NEAR_MISSES);
        Classification indexed = classifier.classify(flow);
        if (!indexed.equals(ex.classification())) {
            throw new IllegalStateException("index gives " + indexed + " but the reference walk gives "
                    + ex.classification());
        }
        ExplainPrinter.Fronting fronting = fronting(classifier, flow);
        if (json) {
            Map<String, Object> m = ExplainPrinter.toJson(ex);
            if (fronting != null) {
                m.put("fronting", fronting.toJson());
            }
            if (instant != null) {
                m.put("at", instant.toString());
                m.put("decisions", decisions.stream().map(DecisionGroup::toJson).toList());
            }
            out.println(Json.write(m));
        } else {
            ExplainPrinter.print(out, ex, cfg.rules());
            if (fronting != null) {
                fronting.print(out);
            }
            ExplainPrinter.printDecisions(out, at, instant, decisions, cfg.operators().size());
        }
        return ExitCodes.OK;
    }

    /** The two sides of a tunnel whose host and SNI fall in different classes, or null. */
    private ExplainPrinter.Fronting fronting(Classifier classifier, Flow flow) {
        if (!FlowDecider.isTunnel(flow)) {
            return null;
        }
        Classification hostSide = classifier.classify(flow.withoutSni());
        Classification sniSide = classifier.classify(flow.sniSide());
        return hostSide.trafficClass().equals(sniSide.trafficClass()) ? null
                : new ExplainPrinter.Fronting(flow, hostSide, sniSide);
    }

    /** Decides the flow for the chosen operator, or for each operator, grouping equal outcomes. */
    private List<DecisionGroup> decide(OpgateConfig cfg, Classifier classifier, Flow flow, Instant instant) {
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
        FlowDecider decider = new FlowDecider(classifier, engine);
        Classification c = classifier.classify(flow);
        List<Decision> decisions = new ArrayList<>();
        for (String op : ops) {
            Flow f = Flow.builder().host(flow.host()).sni(flow.sni()).ip(flow.ip()).port(flow.port())
                    .operator(op).subscriber(subscriber).at(instant).build();
            decisions.add(FlowDecider.isTunnel(f) ? decider.decideTunnel(f, instant) : engine.decide(c, f, instant));
        }
        return ExplainPrinter.group(ops, decisions);
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
}
