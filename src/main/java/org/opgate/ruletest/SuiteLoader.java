package org.opgate.ruletest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.opgate.config.ConfigException;
import org.opgate.config.ConfigLoader;
import org.opgate.config.Diagnostics;
import org.opgate.config.OpgateConfig;
import org.opgate.config.YamlReader;
import org.opgate.source.SourceLocation;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads test suites and checks them against the configs they name, with the config's error
 * conventions: unknown keys are errors (with a "did you mean"), every error carries
 * {@code file:line:column}, and all errors are reported at once.
 *
 * <pre>
 * config: ..                       # relative to this file; default: the --config directory
 * cases:
 *   - name: BES host at the deadline
 *     host: gb.srp.blackberry.com  # host, sni and/or ip; at least one
 *     port: 3101
 *     operator: mobilink           # optional: without it, every operator must satisfy expect
 *     at: 2015-12-01T00:00+05:00   # needed for verdict, policy and phase
 *     expect: {class: BES, rule: bes-srp-host, verdict: block, policy: pta-2015-bes, phase: deadline}
 * </pre>
 *
 * Names that must exist in the config (classes, rules, operators, policies, phases) are checked
 * when the suite is loaded, so a typo is a broken suite, not a failing case.
 */
public final class SuiteLoader {

    private static final Set<String> SUITE_KEYS = YamlReader.keys("config", "cases");

    private final Diagnostics diag = new Diagnostics();
    private final Map<Path, OpgateConfig> configs = new HashMap<>();
    private final Map<Path, Integer> brokenConfigs = new HashMap<>();

    private SuiteLoader() {
    }

    /**
     * Loads every suite under {@code paths} (files as given; directories searched recursively for
     * {@code *.yaml} and {@code *.yml}, in path order) with the configs they name.
     *
     * @param defaultConfig the config of suites that name none
     * @throws ConfigException with every error of the suites and of the configs they name
     */
    public static List<TestSuite> load(List<Path> paths, Path defaultConfig) throws ConfigException {
        SuiteLoader loader = new SuiteLoader();
        List<TestSuite> suites = new ArrayList<>();
        for (Path file : discover(paths, loader.diag)) {
            TestSuite s = loader.readSuite(file, defaultConfig);
            if (s != null) {
                suites.add(s);
            }
        }
        loader.diag.throwIfAny();
        return suites;
    }

    /**
     * Reads the cases of one suite file as flows, for {@code diff}: {@code expect} is optional,
     * {@code config} is ignored, and names are not checked against any config.
     *
     * @throws ConfigException with every error of the file
     */
    public static List<TestCase> loadFlows(Path file) throws ConfigException {
        SuiteLoader loader = new SuiteLoader();
        YamlReader yaml = new YamlReader(display(file), loader.diag);
        List<TestCase> cases = new ArrayList<>();
        byte[] content = YamlReader.read(file, yaml.file(), SourceLocation.of(yaml.file(), 0, 0), loader.diag);
        Node root = content == null ? null : yaml.parse(content);
        if (root != null) {
            Map<String, Node> top = yaml.mapping(root, "test suite", SUITE_KEYS);
            if (yaml.require(top, "cases", root, "test suite", "a list of cases")) {
                cases = loader.readCases(yaml, top.get("cases"), null, false);
            }
        }
        loader.diag.throwIfAny();
        return cases;
    }

    /** Suite files under {@code paths}; reports paths that do not exist and directories without suites. */
    static List<Path> discover(List<Path> paths, Diagnostics diag) {
        Set<Path> out = new LinkedHashSet<>();
        for (Path p : paths) {
            SourceLocation where = SourceLocation.of(display(p), 0, 0);
            if (Files.isRegularFile(p)) {
                out.add(p);
            } else if (Files.isDirectory(p)) {
                List<Path> found;
                try (Stream<Path> walk = Files.walk(p)) {
                    found = walk.filter(Files::isRegularFile)
                            .filter(f -> f.getFileName().toString().endsWith(".yaml")
                                    || f.getFileName().toString().endsWith(".yml"))
                            .sorted()
                            .toList();
                } catch (IOException e) {
                    diag.error(where, "cannot list '" + display(p) + "': " + e.getMessage(), "a readable directory");
                    continue;
                }
                if (found.isEmpty()) {
                    diag.error(where, "directory '" + display(p) + "' holds no test suite", "*.yaml suite files");
                }
                out.addAll(found);
            } else {
                diag.error(where, "'" + display(p) + "' does not exist", "a test suite file or a directory of them");
            }
        }
        return new ArrayList<>(out);
    }

    private TestSuite readSuite(Path file, Path defaultConfig) {
        YamlReader yaml = new YamlReader(display(file), diag);
        byte[] content = YamlReader.read(file, yaml.file(), SourceLocation.of(yaml.file(), 0, 0), diag);
        Node root = content == null ? null : yaml.parse(content);
        if (root == null) {
            return null;
        }
        Map<String, Node> top = yaml.mapping(root, "test suite", SUITE_KEYS);
        Path configPath = defaultConfig;
        SourceLocation configAt = SourceLocation.of(yaml.file(), 1, 1);
        String how = "the default config";
        if (top.containsKey("config")) {
            String text = yaml.string(top.get("config"), "config");
            if (text == null) {
                return null;
            }
            Path given = Path.of(text);
            configPath = given.isAbsolute() || file.getParent() == null ? given : file.getParent().resolve(given);
            configAt = yaml.at(top.get("config"));
            how = "config";
        }
        OpgateConfig config = config(configPath, configAt, how);
        List<TestCase> cases = List.of();
        if (yaml.require(top, "cases", root, "test suite", "a list of cases")) {
            cases = readCases(yaml, top.get("cases"), config, true);
            if (cases.isEmpty() && yaml.sequence(top.get("cases"), "cases", false).isEmpty()) {
                diag.error(yaml.at(top.get("cases")), "test suite has no cases", "at least one case");
            }
        }
        return config == null ? null : new TestSuite(yaml.file(), display(configPath), config, cases);
    }

    /** The config at {@code path}, loaded once per run; null after reporting why it cannot be used. */
    private OpgateConfig config(Path path, SourceLocation referencedFrom, String how) {
        Path key = path.toAbsolutePath().normalize();
        if (configs.containsKey(key)) {
            return configs.get(key);
        }
        if (brokenConfigs.containsKey(key)) {
            diag.error(referencedFrom, how + " '" + display(path) + "' has " + brokenConfigs.get(key) + " error"
                    + (brokenConfigs.get(key) == 1 ? "" : "s") + " (listed with their own locations)", "a valid config");
            return null;
        }
        if (!Files.exists(path)) {
            brokenConfigs.put(key, 1);
            diag.error(referencedFrom, how + " '" + display(path) + "' does not exist",
                    "a config directory or file, relative to the suite file");
            return null;
        }
        try {
            OpgateConfig cfg = ConfigLoader.load(path);
            configs.put(key, cfg);
            return cfg;
        } catch (ConfigException e) {
            diag.addAll(e.errors());
            brokenConfigs.put(key, e.errors().size());
            diag.error(referencedFrom, how + " '" + display(path) + "' has " + e.errors().size() + " error"
                    + (e.errors().size() == 1 ? "" : "s") + " (listed with their own locations)", "a valid config");
            return null;
        }
    }

    /**
     * @param config        the config to check names against, or null to skip those checks
     * @param requireExpect whether each case needs an {@code expect}
     */
    private List<TestCase> readCases(YamlReader yaml, Node node, OpgateConfig config, boolean requireExpect) {
        List<TestCase> out = new ArrayList<>();
        Map<String, SourceLocation> names = new LinkedHashMap<>();
        for (Node item : yaml.sequence(node, "cases", false)) {
            TestCase c = new CaseReader(yaml, config, requireExpect).read(item, names);
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }

    static String display(Path p) {
        String s = p.normalize().toString().replace('\\', '/');
        return s.isEmpty() ? "." : s;
    }
}
