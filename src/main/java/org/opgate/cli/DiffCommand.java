package org.opgate.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.opgate.config.ConfigError;
import org.opgate.config.ConfigException;
import org.opgate.config.OpgateConfig;
import org.opgate.ruletest.ConfigDiff;
import org.opgate.ruletest.ConfigDiff.Change;
import org.opgate.ruletest.ConfigDiff.Outcome;
import org.opgate.ruletest.DiffFlow;
import org.opgate.ruletest.FlowCsv;
import org.opgate.ruletest.FlowGenerator;
import org.opgate.ruletest.SuiteLoader;
import org.opgate.ruletest.TestCase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code opgate diff OLD NEW}: which flows change class, rule or verdict between two configs, and
 * from when, evaluating each flow at every phase boundary of either config in the window.
 *
 * <pre>
 * $ opgate diff config config/pta-2015-as-happened.yaml --from 2015-11-01T00:00+05:00 --to 2016-01-31T00:00+05:00
 * FROM                    FLOW                PORT  OPERATORS  OLD                      NEW
 * 2015-12-01T00:00+05:00  srp.blackberry.com  3101  all        BES bes-srp-host block   BES bes-srp-host notify
 * …
 * </pre>
 */
@Command(name = "diff", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show which flows change class, rule or verdict between two configs, and from when.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no differences", "1:differences", "2:usage or config error"})
final class DiffCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "OLD", description = "The config as it is (directory or file).")
    Path oldConfig;

    @Parameters(index = "1", paramLabel = "NEW", description = "The config as it would be (directory or file).")
    Path newConfig;

    @Option(names = "--from", paramLabel = "T",
            description = "Window start (ISO-8601 with offset or zone). Default: before every phase.")
    String from;

    @Option(names = "--to", paramLabel = "T", description = "Window end, inclusive. Default: no end.")
    String to;

    @Option(names = "--flows", paramLabel = "FILE",
            description = "Flows to compare: CSV (host,sni,ip,port[,operator]) or a test suite (.yaml)."
                    + " Default: generated from both rule sets (endpoints, edges, near misses).")
    Path flows;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ZonedDateTime fromTime = from == null ? null : Instants.parseZoned(from, "--from");
        ZonedDateTime toTime = to == null ? null : Instants.parseZoned(to, "--to");
        if (fromTime != null && toTime != null && toTime.toInstant().isBefore(fromTime.toInstant())) {
            throw new UsageException("--to " + to + " is before --from " + from + " (expected: a window forwards in time)");
        }
        OpgateConfig before = ConfigOptions.load(oldConfig, "diff", err);
        OpgateConfig after = ConfigOptions.load(newConfig, "diff", err);
        if (before == null || after == null) {
            return ExitCodes.USAGE;
        }
        List<DiffFlow> list;
        String source;
        if (flows == null) {
            list = FlowGenerator.fromRules(List.of(before.rules(), after.rules()));
            source = "generated from both rule sets";
        } else {
            list = readFlows(err);
            if (list == null) {
                return ExitCodes.USAGE;
            }
            source = "from " + flows;
        }
        ConfigDiff.Result result;
        try {
            result = ConfigDiff.compare(before, after, list, fromTime == null ? null : fromTime.toInstant(),
                    toTime == null ? null : toTime.toInstant());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        ZoneId fromZone = fromTime == null ? null : fromTime.getZone();
        if (json) {
            out.println(Json.write(toJson(result, before, after, fromZone, source)));
        } else {
            print(out, result, before, after, fromZone, source);
        }
        return result.changes().isEmpty() ? ExitCodes.OK : ExitCodes.FINDINGS;
    }

    private List<DiffFlow> readFlows(PrintWriter err) {
        String name = flows.getFileName() == null ? "" : flows.getFileName().toString();
        try {
            if (name.endsWith(".csv")) {
                return FlowCsv.read(flows);
            }
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                List<DiffFlow> out = new ArrayList<>();
                for (TestCase c : SuiteLoader.loadFlows(flows)) {
                    out.add(new DiffFlow(c.flow(), c.location() + " " + c.name()));
                }
                return out;
            }
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                err.println(error);
            }
            err.println("opgate diff: " + e.errors().size() + " error" + (e.errors().size() == 1 ? "" : "s")
                    + " in flows " + flows);
            return null;
        }
        throw new UsageException("--flows " + flows + " is neither .csv nor .yaml (expected: a CSV file with header"
                + " host,sni,ip,port[,operator], or a test suite)");
    }

    private void print(PrintWriter out, ConfigDiff.Result r, OpgateConfig before, OpgateConfig after, ZoneId fromZone,
                       String source) {
        int instants = r.boundaries().size() + 1;
        out.println("opgate diff: " + oldConfig + " -> " + newConfig + ": " + r.flowCount() + " flows (" + source + "), "
                + (r.operators().get(0) == null ? "no operators" : r.operators().size() + " operator"
                + (r.operators().size() == 1 ? "" : "s")) + ", " + instants + " instant" + (instants == 1 ? "" : "s")
                + " from " + (r.from() == null ? "the start" : Instants.parseZoned(from, "--from").toOffsetDateTime())
                + (r.to() == null ? "" : " to " + Instants.parseZoned(to, "--to").toOffsetDateTime()));
        if (r.changes().isEmpty()) {
            out.println("no differences");
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"FROM", "UNTIL", "FLOW", "PORT", "OPERATORS", "OLD", "NEW"});
        for (Change c : r.changes()) {
            rows.add(new String[] {
                c.from() == null ? "start" : when(c.from(), fromZone, before, after),
                c.until() == null ? "end" : when(c.until(), fromZone, before, after),
                c.flow().target(),
                String.valueOf(c.flow().flow().port()),
                operators(c.operators(), r.operators()),
                c.before().toString(),
                c.after().toString()});
        }
        table(out, "", rows);
        Map<List<String>, Long> summary = new LinkedHashMap<>();
        for (int i = 1; i < rows.size(); i++) {
            String[] row = rows.get(i);
            Change c = r.changes().get(i - 1);
            summary.merge(List.of(row[0], row[1], row[4], c.before().trafficClass() + " "
                    + c.before().verdict().configName() + " -> " + c.after().trafficClass() + " "
                    + c.after().verdict().configName()), 1L, Long::sum);
        }
        List<String[]> sums = new ArrayList<>();
        sums.add(new String[] {"FROM", "UNTIL", "OPERATORS", "CHANGE", "FLOWS"});
        summary.forEach((k, n) -> sums.add(new String[] {k.get(0), k.get(1), k.get(2), k.get(3), String.valueOf(n)}));
        out.println("summary:");
        table(out, "  ", sums);
        out.println(r.changedFlows() + " of " + r.flowCount() + " flows change (" + r.changes().size() + " change"
                + (r.changes().size() == 1 ? "" : "s") + ")");
    }

    /** Prints rows in columns as wide as their widest cell, two spaces apart. */
    private static void table(PrintWriter out, String indent, List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder sb = new StringBuilder(indent);
            for (int i = 0; i < row.length; i++) {
                sb.append(i == row.length - 1 ? row[i] : String.format("%-" + width[i] + "s  ", row[i]));
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    /** {@code all}, the ids, or {@code -} when neither config has operators. */
    private static String operators(List<String> ops, List<String> all) {
        if (ops.size() == 1 && ops.get(0) == null) {
            return "-";
        }
        return ops.size() == all.size() && all.size() > 1 ? "all" : String.join(",", ops);
    }

    /** An instant in the zone of a phase that starts there, else in the zone of --from, else UTC. */
    private static String when(Instant t, ZoneId fromZone, OpgateConfig before, OpgateConfig after) {
        ZoneId zone = ConfigDiff.zoneOf(t, before, after);
        if (zone == null) {
            zone = fromZone == null ? ZoneId.of("Z") : fromZone;
        }
        return ZonedDateTime.ofInstant(t, zone).toOffsetDateTime().toString();
    }

    private Map<String, Object> toJson(ConfigDiff.Result r, OpgateConfig before, OpgateConfig after, ZoneId fromZone,
                                       String source) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("old", oldConfig.toString());
        m.put("new", newConfig.toString());
        m.put("from", r.from() == null ? null : r.from().toString());
        m.put("to", r.to() == null ? null : r.to().toString());
        m.put("boundaries", r.boundaries().stream().map(Instant::toString).toList());
        m.put("operators", r.operators());
        m.put("flows", r.flowCount());
        m.put("flowSource", source);
        m.put("changedFlows", r.changedFlows());
        m.put("changes", r.changes().stream().map(c -> {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("flow", Json.flow(c.flow().flow()));
            cm.put("source", c.flow().source());
            cm.put("operators", c.operators());
            cm.put("from", c.from() == null ? null : c.from().toString());
            cm.put("fromLocal", c.from() == null ? null : when(c.from(), fromZone, before, after));
            cm.put("until", c.until() == null ? null : c.until().toString());
            cm.put("old", outcome(c.before()));
            cm.put("new", outcome(c.after()));
            return cm;
        }).toList());
        return m;
    }

    private static Map<String, Object> outcome(Outcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class", o.trafficClass());
        m.put("rule", o.rule());
        m.put("verdict", o.verdict().configName());
        m.put("policy", o.policy());
        m.put("phase", o.phase());
        return m;
    }
}
