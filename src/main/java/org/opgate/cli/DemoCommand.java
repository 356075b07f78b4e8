package org.opgate.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.opgate.config.ConfigError;
import org.opgate.config.ConfigException;
import org.opgate.gateway.BoundListener;
import org.opgate.gateway.GatewayException;
import org.opgate.report.run.RunRecord;
import org.opgate.report.run.RunReport;
import org.opgate.scenario.Scenario;
import org.opgate.scenario.ScenarioReader;
import org.opgate.sim.demo.ScenarioDriver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code opgate demo [SCENARIO]}: runs a scenario's whole timeline through a real gateway with
 * its simulated subscribers, shows progress, then prints the weekly table and writes the report.
 *
 * <pre>
 * $ opgate demo
 * scenario pakistan-2015: Pakistan 2015: the BES order as issued
 * dashboard http://127.0.0.1:9090/
 * 2015-10-02 PKT  events 1/2  BES 3012 ok 0 ref 0 cut 0 err  BBM …
 * </pre>
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a scenario (default: Pakistan 2015 as ordered) through the gateway with simulated subscribers,"
                + " then print the weekly table and write the report to out/<scenario>/.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the scenario ran to its end", "2:usage or config error, a port in use"})
final class DemoCommand implements Callable<Integer> {

    static final String DEFAULT_SCENARIO = "pakistan-2015";
    private static final long PROGRESS_MILLIS = 500;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO", defaultValue = DEFAULT_SCENARIO,
            description = "A scenario name under CONFIG/scenarios (pakistan-2015, pakistan-2015-as-happened, uae-2010,"
                    + " saudi-2010, india-2010, port-3101-overblocking) or a scenario file. Default: ${DEFAULT-VALUE}.")
    String scenarioName;

    @Option(names = "--config", paramLabel = "DIR", defaultValue = ConfigOptions.DEFAULT_DIR,
            description = "Config directory: listeners, admin, operators, classes. Default: $OPGATE_CONFIG, else ./config.")
    Path config;

    @Option(names = "--rate", paramLabel = "R", description = "Simulated seconds per real second (default: the scenario's).")
    Double rate;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "2015",
            description = "Seed of the populations' random choices: the same seed gives the same run. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Report folder. Default: out/<scenario>.")
    Path out;

    @Option(names = "--subscribers", paramLabel = "CLASS=N",
            description = "Subscribers of a class in place of the scenario's (its session rate scales along); repeatable.")
    Map<String, Integer> subscribers = new LinkedHashMap<>();

    @Option(names = "--no-browser-hint", description = "Do not print the dashboard address.")
    boolean noBrowserHint;

    @Option(names = "--ephemeral-ports", description = "Bind the listeners and the admin API to free ports instead of"
            + " the config's (when those are busy, and in tests).")
    boolean ephemeralPorts;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (rate != null && !(rate > 0 && rate < 1e9)) {
            throw new UsageException("--rate " + rate + " (expected: a number greater than 0)");
        }
        for (Map.Entry<String, Integer> e : subscribers.entrySet()) {
            if (e.getValue() == null || e.getValue() < 0) {
                throw new UsageException("--subscribers " + e.getKey() + "=" + e.getValue() + " (expected: CLASS=N, N >= 0)");
            }
        }
        Scenario scenario;
        Path file = ScenarioReader.resolve(scenarioName, config);
        try {
            scenario = ScenarioReader.read(file, config);
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                err.println(error);
            }
            err.println("opgate demo: " + e.errors().size() + " error" + (e.errors().size() == 1 ? "" : "s")
                    + " in scenario " + file);
            return ExitCodes.USAGE;
        }
        List<String> classes = scenario.populations().stream().map(p -> p.trafficClass()).distinct().toList();
        for (String c : subscribers.keySet()) {
            if (!classes.contains(c)) {
                throw new UsageException("--subscribers " + c + ": the scenario has no " + c + " population (expected: one of "
                        + String.join(", ", classes) + ")");
            }
        }
        if (scenario.initial().listeners().isEmpty()) {
            throw new UsageException("config " + config + " has no listeners (expected: a 'listeners' section)");
        }
        Path outDir = out != null ? out : Path.of("out", scenario.id());
        // The report is written after a minute of running: a folder that cannot be made is found now.
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new UsageException("cannot write the report to " + outDir + ": " + IoErrors.why(e)
                    + " (expected: a folder that can be created and written; see --out)");
        }
        if (!Files.isWritable(outDir)) {
            throw new UsageException("cannot write the report to " + outDir + ": permission denied"
                    + " (expected: a folder that can be created and written; see --out)");
        }
        double r = rate != null ? rate : scenario.rate();
        // No decision log: one synchronously written line per decision would slow the event loops
        // at the demo's session rates; the admin API's /decisions and /events show them live.
        ScenarioRun.Options options = new ScenarioRun.Options(r, seed, subscribers, ephemeralPorts, null);
        stdout.println("scenario " + scenario.id() + ": " + scenario.title());
        stdout.println("simulated " + scenario.start().atZone(scenario.zone()).toLocalDate() + " to "
                + scenario.end().atZone(scenario.zone()).toLocalDate() + " at rate " + (long) r + " (about "
                + Math.round(Duration.between(scenario.start(), scenario.end()).toSeconds() / r) + " s); seed " + seed);
        ScenarioRun run;
        try {
            run = ScenarioRun.start(config, scenario, options);
        } catch (GatewayException e) {
            err.println("opgate demo: " + e.getMessage() + (ephemeralPorts ? "" : " (stop what uses it, or pass --ephemeral-ports)"));
            return ExitCodes.USAGE;
        }
        RunRecord record;
        try (run) {
            for (BoundListener l : run.stack().gateway().listeners()) {
                stdout.println(l.describe());
            }
            InetSocketAddress admin = run.adminAddress();
            if (!noBrowserHint) {
                stdout.println("dashboard http://" + admin.getAddress().getHostAddress() + ":" + admin.getPort() + "/");
            }
            stdout.flush();
            record = runWithProgress(run, scenario, r, stdout);
        }
        stdout.println();
        stdout.println(summary(record));
        try {
            stdout.println(RunReport.weeklyTable(record));
            List<Path> written = RunReport.write(record, outDir);
            stdout.println("report " + outDir + ": " + String.join(", ", written.stream()
                    .map(p -> p.getFileName().toString()).toList()));
        } catch (IOException e) {
            err.println("opgate demo: cannot write the report to " + outDir + ": " + IoErrors.why(e));
            return ExitCodes.USAGE;
        }
        return ExitCodes.OK;
    }

    private static RunRecord runWithProgress(ScenarioRun run, Scenario scenario, double rate, PrintWriter out)
            throws InterruptedException {
        ScenarioDriver driver = run.driver();
        boolean console = System.console() != null;
        long expected = (long) (Duration.between(scenario.start(), scenario.end()).toMillis() / rate);
        long deadline = System.nanoTime() + Duration.ofMillis(expected * 5 + 120_000).toNanos();
        long lastLine = 0;
        while (!driver.ended() && System.nanoTime() < deadline) {
            Thread.sleep(PROGRESS_MILLIS);
            String line = progress(driver, scenario);
            if (console) {
                out.print("\r" + line + "   ");
                out.flush();
            } else if (System.nanoTime() - lastLine > 5_000_000_000L) {
                out.println(line);
                out.flush();
                lastLine = System.nanoTime();
            }
        }
        RunRecord record = driver.finish();
        out.print(console ? "\r" + progress(driver, scenario) + "   " : progress(driver, scenario));
        out.println();
        return record;
    }

    /** {@code 2015-12-02 PKT  events 2/2  BES 4974 ok 1240 refused 3301 cut 0 err  …  open 312}. */
    static String progress(ScenarioDriver driver, Scenario scenario) {
        StringBuilder b = new StringBuilder();
        b.append(driver.now().atZone(scenario.zone()).format(DateTimeFormatter.ofPattern("yyyy-MM-dd z", Locale.ROOT)));
        b.append("  events ").append(driver.eventsPassed()).append('/').append(scenario.events().size());
        driver.sessions().forEach((cls, counts) -> b.append("  ").append(cls).append(' ')
                .append(counts.get("completed")).append(" ok ")
                .append(counts.get("refused")).append(" refused ")
                .append(counts.get("cut")).append(" cut ")
                .append(counts.get("error")).append(" err"));
        b.append("  open ").append(driver.openSessions());
        return b.toString();
    }

    /** Totals of the run per class and outcome, and how it was made. */
    static String summary(RunRecord record) {
        Map<String, long[]> byClass = new java.util.TreeMap<>();
        record.rows().forEach(r -> {
            long[] c = byClass.computeIfAbsent(r.trafficClass(), k -> new long[4]);
            c[0] += r.completed();
            c[1] += r.refused();
            c[2] += r.cut();
            c[3] += r.errors();
        });
        StringBuilder b = new StringBuilder("sessions by class: completed / refused / cut / errors\n");
        byClass.forEach((cls, c) -> b.append(String.format(Locale.ROOT, "  %-6s %8d %8d %8d %8d%n", cls, c[0], c[1], c[2], c[3])));
        // The same per stretch of the timeline (between events), so an order's effect shows at once.
        List<java.time.Instant> cuts = new java.util.ArrayList<>();
        cuts.add(record.start());
        record.events().forEach(e -> cuts.add(e.at()));
        cuts.add(record.end());
        b.append("by stretch of the timeline (rows counted by their start):\n");
        for (int i = 0; i + 1 < cuts.size(); i++) {
            java.time.Instant from = cuts.get(i);
            java.time.Instant to = cuts.get(i + 1);
            String label = (i == 0 ? "start" : record.events().get(i - 1).name()) + " "
                    + from.atZone(record.zone()).toLocalDate() + " .. " + to.atZone(record.zone()).toLocalDate();
            b.append("  ").append(label).append('\n');
            Map<String, long[]> stretch = new java.util.TreeMap<>();
            record.rows().stream().filter(r -> !r.start().isBefore(from) && r.start().isBefore(to)).forEach(r -> {
                long[] c = stretch.computeIfAbsent(r.trafficClass(), k -> new long[4]);
                c[0] += r.completed();
                c[1] += r.refused();
                c[2] += r.cut();
                c[3] += r.errors();
            });
            stretch.forEach((cls, c) -> b.append(String.format(Locale.ROOT, "    %-6s %8d %8d %8d %8d%n", cls, c[0], c[1], c[2], c[3])));
        }
        b.append("run: ");
        b.append(String.join(", ", record.settings().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()));
        return b.toString();
    }
}
