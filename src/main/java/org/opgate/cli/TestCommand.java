package org.opgate.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.opgate.classify.Explanation;
import org.opgate.config.ConfigError;
import org.opgate.config.ConfigException;
import org.opgate.config.OpgateConfig;
import org.opgate.policy.Decision;
import org.opgate.ruletest.CaseResult;
import org.opgate.ruletest.JUnitXml;
import org.opgate.ruletest.SuiteLoader;
import org.opgate.ruletest.SuiteResult;
import org.opgate.ruletest.SuiteRunner;
import org.opgate.ruletest.TestSuite;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code opgate test [FILES|DIRS]…}: runs rule test suites (flows with their expected class,
 * rule, verdict, policy and phase) against the configs they name.
 *
 * <pre>
 * $ opgate test config/tests
 * config/tests/bes-rules.yaml  (config: config, 31 cases)
 *   ok    gb.srp.blackberry.com on 3101 is BES
 *   …
 * 97 passed, 0 failed
 * </pre>
 */
@Command(name = "test", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run rule test suites: flows with the class, rule, verdict, policy and phase they should get.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every case passed", "1:a case failed", "2:usage error, broken suite or config"})
final class TestCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "FILES|DIRS",
            description = "Suite files, or directories searched for *.yaml suites. Default: the tests directory"
                    + " of the config (config/tests).")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--config", paramLabel = "DIR", defaultValue = ConfigOptions.DEFAULT_DIR,
            description = "Config of suites that name none. Default: $OPGATE_CONFIG, else ./config.")
    Path config;

    @Option(names = "--junit", paramLabel = "FILE", description = "Also write the results as JUnit XML, for CI.")
    Path junit;

    @Option(names = "--json", description = "Print the results as JSON.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Path> inputs = paths.isEmpty() ? List.of(defaultTests()) : paths;
        List<TestSuite> suites;
        try {
            suites = SuiteLoader.load(inputs, config);
        } catch (ConfigException e) {
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("valid", false);
                m.put("errors", e.errors().stream().map(Json::error).toList());
                out.println(Json.write(m));
            }
            for (ConfigError error : e.errors()) {
                err.println(error);
            }
            err.println("opgate test: " + e.errors().size() + " error" + (e.errors().size() == 1 ? "" : "s")
                    + " in test suites " + String.join(" ", inputs.stream().map(Path::toString).toList()));
            return ExitCodes.USAGE;
        }
        List<SuiteResult> results = suites.stream().map(SuiteRunner::run).toList();
        long passed = results.stream().mapToLong(SuiteResult::passed).sum();
        long failed = results.stream().mapToLong(SuiteResult::failed).sum();
        if (json) {
            out.println(Json.write(toJson(results, passed, failed)));
        } else {
            print(out, results, passed, failed);
        }
        if (junit != null) {
            try {
                JUnitXml.write(results, TestCommand::details, junit);
            } catch (IOException e) {
                err.println("opgate test: cannot write " + junit + ": " + IoErrors.why(e));
                return ExitCodes.USAGE;
            }
        }
        return failed > 0 ? ExitCodes.FINDINGS : ExitCodes.OK;
    }

    private Path defaultTests() {
        Path dir = Files.isDirectory(config) ? config : config.toAbsolutePath().getParent();
        return dir.resolve("tests");
    }

    private static void print(PrintWriter out, List<SuiteResult> results, long passed, long failed) {
        for (SuiteResult r : results) {
            out.println(r.suite().file() + "  (config: " + r.suite().configName() + ", " + r.cases().size() + " case"
                    + (r.cases().size() == 1 ? "" : "s") + ")");
            for (CaseResult c : r.cases()) {
                out.println("  " + (c.passed() ? "ok  " : "FAIL") + "  " + c.testCase().name());
            }
        }
        if (failed > 0) {
            out.println();
            out.println("failures:");
            for (SuiteResult r : results) {
                for (CaseResult c : r.cases()) {
                    if (!c.passed()) {
                        out.println();
                        out.println("FAIL  " + c.testCase().name() + "  " + c.testCase().location());
                        out.print(indent(details(r.suite(), c), "  "));
                    }
                }
            }
            out.println();
        }
        out.println(passed + " passed, " + failed + " failed");
    }

    /**
     * What a failed case expected, what it got, and the explain output of what happened instead:
     * the winning rule with its location, the fields compared, near misses, and the decisions.
     */
    static String details(TestSuite suite, CaseResult c) {
        StringWriter sw = new StringWriter();
        PrintWriter w = new PrintWriter(sw);
        OpgateConfig cfg = suite.config();
        int operatorCount = cfg.operators().size();
        w.println("expected  " + c.testCase().expect());
        for (CaseResult.Mismatch m : c.mismatches()) {
            boolean all = m.operators().size() == operatorCount && operatorCount > 1;
            String rule = m.field().equals("class") && c.classification().rule() != null
                    ? " (rule " + c.classification().rule().id() + ")" : "";
            w.println("got       " + m.field() + " " + m.actual() + rule + " instead of " + m.expected()
                    + (m.operators().isEmpty() ? "" : all ? " (all operators)" : " (" + String.join(", ", m.operators()) + ")"));
        }
        w.println("what happened:");
        Explanation ex = Explanation.of(cfg.rules(), c.testCase().flow(), ExplainPrinter.MAX_NEAR_MISSES);
        List<String> ops = c.decisions().stream().map(CaseResult.OperatorDecision::operator).toList();
        List<Decision> decisions = c.decisions().stream().map(CaseResult.OperatorDecision::decision).toList();
        StringWriter explain = new StringWriter();
        PrintWriter e = new PrintWriter(explain);
        ExplainPrinter.print(e, ex, cfg.rules(), c.testCase().atText(), c.testCase().flow().at(),
                ExplainPrinter.group(ops, decisions), operatorCount);
        e.flush();
        w.print(indent(explain.toString(), "  "));
        w.flush();
        return sw.toString();
    }

    private static String indent(String text, String prefix) {
        StringBuilder sb = new StringBuilder();
        text.lines().forEach(l -> sb.append(prefix).append(l).append('\n'));
        return sb.toString();
    }

    private static Map<String, Object> toJson(List<SuiteResult> results, long passed, long failed) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> suites = new ArrayList<>();
        for (SuiteResult r : results) {
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("file", r.suite().file());
            sm.put("config", r.suite().configName());
            sm.put("passed", r.passed());
            sm.put("failed", r.failed());
            List<Object> cases = new ArrayList<>();
            for (CaseResult c : r.cases()) {
                Map<String, Object> cm = new LinkedHashMap<>();
                cm.put("name", c.testCase().name());
                cm.put("location", c.testCase().location().toString());
                cm.put("passed", c.passed());
                cm.put("class", c.classification().trafficClass());
                cm.put("rule", c.classification().rule() == null ? null : c.classification().rule().id());
                cm.put("decisions", c.decisions().stream().map(d -> {
                    Map<String, Object> dm = new LinkedHashMap<>();
                    dm.put("operator", d.operator());
                    dm.put("verdict", d.decision().verdict().configName());
                    dm.put("policy", d.decision().policyId());
                    dm.put("phase", d.decision().phase() == null ? null : d.decision().phase().name());
                    dm.put("reason", d.decision().reason());
                    return dm;
                }).toList());
                cm.put("mismatches", c.mismatches().stream().map(x -> {
                    Map<String, Object> xm = new LinkedHashMap<>();
                    xm.put("field", x.field());
                    xm.put("expected", x.expected());
                    xm.put("actual", x.actual());
                    xm.put("operators", x.operators());
                    return xm;
                }).toList());
                cases.add(cm);
            }
            sm.put("cases", cases);
            suites.add(sm);
        }
        m.put("suites", suites);
        m.put("passed", passed);
        m.put("failed", failed);
        return m;
    }
}
