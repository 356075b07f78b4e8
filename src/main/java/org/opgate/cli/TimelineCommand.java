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
import org.opgate.classify.TrafficClass;
import org.opgate.config.OpgateConfig;
import org.opgate.policy.Operator;
import org.opgate.policy.PolicyEngine;
import org.opgate.policy.Reasons;
import org.opgate.policy.Timeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code opgate timeline}: every phase boundary in a window, per class and operator, with the
 * verdict before and after.
 *
 * <pre>
 * $ opgate timeline --class BES
 * 24 Jul 2015 00:00 PKT  2015-07-23T19:00:00Z  BES  all operators  allow -> notify  pta-2015-bes 'notice'
 * 1 Dec 2015 00:00 PKT   2015-11-30T19:00:00Z  BES  all operators  notify -> block  pta-2015-bes 'deadline', cut existing
 * </pre>
 */
@Command(name = "timeline", mixinStandardHelpOptions = true, sortOptions = false,
        description = "List what changes when: every phase boundary, per class and operator, with the verdict"
                + " before and after.")
final class TimelineCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--class", paramLabel = "C", description = "Only this class (repeatable). Default: all.")
    List<String> classes = new ArrayList<>();

    @Option(names = "--operator", paramLabel = "O", description = "Only this operator. Default: all.")
    String operator;

    @Option(names = "--from", paramLabel = "T", description = "Window start, exclusive (ISO-8601 with offset or zone).")
    String from;

    @Option(names = "--to", paramLabel = "T", description = "Window end, inclusive (ISO-8601 with offset or zone).")
    String to;

    @Option(names = "--config", paramLabel = "DIR", defaultValue = ConfigOptions.DEFAULT_DIR,
            description = "Config directory or file. Default: $OPGATE_CONFIG, else ./config.")
    Path config;

    @Option(names = "--json", description = "Print the rows as JSON.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Instant fromInstant = from == null ? null : Instants.parse(from, "--from");
        Instant toInstant = to == null ? null : Instants.parse(to, "--to");
        if (fromInstant != null && toInstant != null && !toInstant.isAfter(fromInstant)) {
            throw new UsageException("--to " + to + " is not after --from " + from + " (expected: a window forwards in time)");
        }
        OpgateConfig cfg = ConfigOptions.load(config, "timeline", spec.commandLine().getErr());
        if (cfg == null) {
            return ExitCodes.USAGE;
        }
        List<String> known = new ArrayList<>(cfg.rules().classes().stream().map(TrafficClass::name).toList());
        known.add(Classification.OTHER_CLASS);
        for (String c : classes) {
            if (!known.contains(c)) {
                throw new UsageException("--class '" + c + "' is not in the config (expected: one of " + known + ")");
            }
        }
        List<String> ops = cfg.operators().stream().map(Operator::id).toList();
        if (operator != null) {
            if (!ops.contains(operator)) {
                throw new UsageException("--operator '" + operator + "' is not in the config (expected: one of " + ops + ")");
            }
            ops = List.of(operator);
        }
        PolicyEngine engine = cfg.policyEngine();
        List<Timeline.Row> rows = Timeline.of(engine, classes.isEmpty() ? known : classes, ops, fromInstant, toInstant);
        if (json) {
            out.println(Json.write(rows.stream().map(TimelineCommand::toJson).toList()));
            return ExitCodes.OK;
        }
        if (rows.isEmpty()) {
            out.println("no phase boundaries" + (from != null || to != null ? " in the window" : ""));
        }
        int allOps = cfg.operators().size();
        for (Timeline.Row r : rows) {
            var first = r.phases().get(0);
            // A config without operators (a rules-and-policies-only config) has its phases apply to every flow.
            String who = r.operators().isEmpty() ? "any operator" : r.operators().size() == allOps && allOps > 1 ? "all operators"
                    : String.join(", ", r.operators());
            List<String> phases = r.phases().stream().map(p -> p.policy().id() + " '" + p.phase().name() + "'"
                    + (p.phase().cutExisting() ? ", cut existing" : "")
                    + (p.policy().mode() == org.opgate.policy.Policy.Mode.SHADOW ? " (shadow)" : "")).toList();
            out.printf("%-22s %-22s %-6s %-14s %-6s -> %-8s %s%n", Reasons.when(r.at(), first.policy().zone()),
                    r.at(), r.trafficClass(), who, r.before().configName(), r.after().configName(),
                    String.join("; ", phases));
        }
        return ExitCodes.OK;
    }

    private static Map<String, Object> toJson(Timeline.Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", r.at().toString());
        m.put("local", Reasons.when(r.at(), r.phases().get(0).policy().zone()));
        m.put("class", r.trafficClass());
        m.put("operators", r.operators());
        m.put("before", r.before().configName());
        m.put("after", r.after().configName());
        m.put("phases", r.phases().stream().map(p -> {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("policy", p.policy().id());
            pm.put("phase", p.phase().name());
            pm.put("action", p.phase().action().configName());
            pm.put("cutExisting", p.phase().cutExisting());
            pm.put("location", p.phase().location().toString());
            return pm;
        }).toList());
        return m;
    }
}
