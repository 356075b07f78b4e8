package org.opgate.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.opgate.classify.Finding;
import org.opgate.classify.RuleChecker;
import org.opgate.config.ConfigError;
import org.opgate.config.ConfigException;
import org.opgate.config.ConfigLoader;
import org.opgate.config.OpgateConfig;
import org.opgate.policy.PolicyChecker;
import org.opgate.policy.PolicyFinding;
import org.opgate.scenario.ScenarioReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code opgate check [CONFIG_DIR]}: validates a config and the scenarios under its
 * {@code scenarios/} directory, and reports rules that can never match and rules of different
 * classes that overlap.
 *
 * <pre>
 * $ opgate check config
 * opgate check: config is valid (version 3f2a…): 3 classes, 33 rules, 5 operators, 3 listeners; no findings
 * </pre>
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate a config; report shadowed rules and overlaps between classes.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:valid, no findings", "1:valid, with findings", "2:usage or config error"})
final class CheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG_DIR", defaultValue = ConfigOptions.DEFAULT_DIR,
            description = "Config directory (holding opgate.yaml) or file. Default: $OPGATE_CONFIG, else ./config.")
    Path config;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        OpgateConfig cfg;
        if (json) {
            try {
                cfg = ConfigLoader.load(config);
            } catch (ConfigException e) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("config", config.toString());
                m.put("valid", false);
                m.put("errors", e.errors().stream().map(Json::error).toList());
                out.println(Json.write(m));
                return ExitCodes.USAGE;
            }
        } else {
            cfg = ConfigOptions.load(config, "check", err);
            if (cfg == null) {
                return ExitCodes.USAGE;
            }
        }
        List<ConfigError> scenarioErrors = new ArrayList<>();
        List<String> scenarios = new ArrayList<>();
        for (Path file : ScenarioReader.list(config)) {
            try {
                scenarios.add(ScenarioReader.read(file, config).id());
            } catch (ConfigException e) {
                scenarioErrors.addAll(e.errors());
            }
        }
        if (!scenarioErrors.isEmpty()) {
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("config", config.toString());
                m.put("valid", false);
                m.put("errors", scenarioErrors.stream().map(Json::error).toList());
                out.println(Json.write(m));
            } else {
                scenarioErrors.forEach(err::println);
                err.println("opgate check: " + scenarioErrors.size() + " error" + (scenarioErrors.size() == 1 ? "" : "s")
                        + " in the scenarios of " + config);
            }
            return ExitCodes.USAGE;
        }
        List<Finding> findings = RuleChecker.check(cfg.rules());
        List<PolicyFinding> policyFindings = PolicyChecker.check(cfg.policies(), cfg.rules(), findings);
        long shadowed = findings.stream().filter(f -> f.kind() == Finding.Kind.SHADOWED).count();
        long overlaps = findings.size() - shadowed;
        String summary = cfg.rules().classes().size() + " classes, " + cfg.rules().rules().size() + " rules, "
                + cfg.policies().size() + " policies, " + cfg.operators().size() + " operators, "
                + cfg.listeners().size() + " listeners" + (scenarios.isEmpty() ? "" : ", " + scenarios.size() + " scenarios");
        boolean clean = findings.isEmpty() && policyFindings.isEmpty();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("config", config.toString());
            m.put("valid", true);
            m.put("version", cfg.version());
            m.put("files", cfg.files());
            m.put("classes", cfg.rules().classes().size());
            m.put("rules", cfg.rules().rules().size());
            m.put("scenarios", scenarios);
            List<Map<String, Object>> list = new ArrayList<>();
            for (Finding f : findings) {
                Map<String, Object> fm = new LinkedHashMap<>();
                fm.put("kind", f.kind().name().toLowerCase());
                fm.put("location", f.rule().location().toString());
                fm.put("rule", Json.rule(f.rule()));
                fm.put("other", Json.rule(f.other()));
                fm.put("message", f.message());
                list.add(fm);
            }
            for (PolicyFinding f : policyFindings) {
                Map<String, Object> fm = new LinkedHashMap<>();
                fm.put("kind", f.kind().name().toLowerCase().replace('_', '-'));
                fm.put("location", f.where().toString());
                fm.put("message", f.message());
                list.add(fm);
            }
            m.put("findings", list);
            out.println(Json.write(m));
        } else {
            for (Finding f : findings) {
                out.println(f.rule().location() + ": " + f.kind().name().toLowerCase() + ": " + f.message());
            }
            for (PolicyFinding f : policyFindings) {
                out.println(f.where() + ": " + f.kind().name().toLowerCase().replace('_', '-') + ": " + f.message());
            }
            out.println("opgate check: " + config + " is valid (version " + cfg.version() + "): " + summary + "; "
                    + (clean ? "no findings"
                    : shadowed + " shadowed, " + overlaps + " overlap" + (overlaps == 1 ? "" : "s") + ", "
                    + policyFindings.size() + " policy finding" + (policyFindings.size() == 1 ? "" : "s")));
        }
        return clean ? ExitCodes.OK : ExitCodes.FINDINGS;
    }
}
