package org.opgate.ruletest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.config.ConfigException;
import org.opgate.policy.Verdict;

final class SuiteLoaderTest {

    @TempDir
    Path dir;

    private Path config;

    @BeforeEach
    void writeConfig() throws Exception {
        config = TempConfig.write(dir, "cfg", TempConfig.CLASSES, TempConfig.POLICY);
    }

    /** The errors of loading {@code suite}, with the temporary directory cut from their file names. */
    private List<String> errors(String suite) throws Exception {
        Path file = TempConfig.file(dir, "suite.yaml", suite);
        try {
            SuiteLoader.load(List.of(file), config);
        } catch (ConfigException e) {
            String prefix = dir.toString().replace('\\', '/') + "/";
            return e.errors().stream().map(x -> x.toString().replace(prefix, "")).toList();
        }
        throw new AssertionError("suite loaded without errors");
    }

    @Test
    void aValidSuiteLoadsItsCasesInFileOrder() throws Exception {
        Path file = TempConfig.file(dir, "suite.yaml", """
                cases:
                  - {name: first, host: a.srp.example.com, port: 3101, expect: {class: BES, rule: bes-host}}
                  - name: second
                    ip: 192.0.2.7
                    port: 3101
                    operator: ufone
                    at: 2015-12-01T00:00+05:00
                    expect: {verdict: block, policy: bes-order, phase: deadline}
                """);

        List<TestSuite> suites = SuiteLoader.load(List.of(file), config);

        assertThat(suites).hasSize(1);
        TestSuite s = suites.get(0);
        assertThat(s.cases()).extracting(TestCase::name).containsExactly("first", "second");
        TestCase second = s.cases().get(1);
        assertThat(second.flow().operator()).isEqualTo("ufone");
        assertThat(second.flow().at()).hasToString("2015-11-30T19:00:00Z");
        assertThat(second.expect().verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(second.location().line()).isEqualTo(3);
    }

    @Test
    void anUnknownKeyIsAnErrorWithADidYouMean() throws Exception {
        assertThat(errors("""
                cases:
                  - {name: a, host: a.srp.example.com, prot: 3101, expect: {class: BES}}
                """)).contains(
                "suite.yaml:2:40: unknown key 'prot' in case; did you mean 'port'? (expected: one of name, host, sni, ip,"
                        + " port, operator, subscriber, at, expect)");
    }

    @Test
    void anUnknownExpectationKeyIsAnErrorWithADidYouMean() throws Exception {
        assertThat(errors("""
                cases:
                  - {name: a, host: a.srp.example.com, port: 3101, expect: {verdit: block}}
                """)).anySatisfy(e -> assertThat(e).startsWith("suite.yaml:2:61: unknown key 'verdit' in expect;"
                + " did you mean 'verdict'?"));
    }

    @Test
    void anUnknownRuleIdIsAnErrorWithADidYouMean() throws Exception {
        assertThat(errors("""
                cases:
                  - {name: a, host: a.srp.example.com, port: 3101, expect: {rule: bes-hots}}
                """)).containsExactly("suite.yaml:2:67: case 'a': unknown rule 'bes-hots'; did you mean 'bes-host'?"
                + " (expected: a rule id of the suite's config, or none)");
    }

    @Test
    void unknownNamesOfTheConfigAreErrors() throws Exception {
        assertThat(errors("""
                cases:
                  - name: a
                    host: a.srp.example.com
                    port: 3101
                    operator: telenor
                    at: 2015-12-01T00:00+05:00
                    expect: {class: BIS, verdict: blocked, policy: bes-ordr, phase: dedline}
                """)).containsExactly(
                "suite.yaml:5:15: case 'a': unknown operator 'telenor' (expected: one of mobilink, ufone)",
                "suite.yaml:7:21: case 'a': unknown class 'BIS'; did you mean 'BES'? (expected: one of BES, BBM, OTHER)",
                "suite.yaml:7:35: case 'a': unknown verdict 'blocked'; did you mean 'block'? (expected: allow, notify,"
                        + " report, throttle or block)",
                "suite.yaml:7:52: case 'a': unknown policy 'bes-ordr'; did you mean 'bes-order'? (expected: one of"
                        + " bes-order, or none)",
                "suite.yaml:7:69: case 'a': unknown phase 'dedline'; did you mean 'deadline'? (expected: one of"
                        + " notice, deadline, or none)");
    }

    @Test
    void aRuleOfAnotherClassThanTheExpectedOneIsAnError() throws Exception {
        assertThat(errors("""
                cases:
                  - {name: a, host: a.bbm.example.com, port: 443, expect: {class: BES, rule: bbm-app}}
                """)).singleElement().asString().isEqualTo("suite.yaml:2:78: case 'a': rule 'bbm-app' is of class BBM, not BES (cfg/c.yaml:8:9) (expected: a rule of"
                + " class BES, or no class)");
    }

    @Test
    void aVerdictWithoutAnInstantIsAnError() throws Exception {
        assertThat(errors("""
                cases:
                  - {name: a, host: a.srp.example.com, port: 3101, expect: {verdict: block}}
                """)).containsExactly("suite.yaml:2:70: case 'a': expect.verdict needs the instant of the decision"
                + " (expected: at: an instant on the case, like 2015-12-01T00:00+05:00)");
    }

    @Test
    void everyBrokenCaseIsReportedAtOnce() throws Exception {
        assertThat(errors("""
                cases:
                  - {name: a, port: 3101, expect: {class: BES}}
                  - {name: b, host: "bad..name", port: 3101, expect: {class: BES}}
                  - {name: c, ip: 300.1.1.1, port: 70000, expect: {class: BES}}
                  - {name: d, host: a.example, port: 1, at: 2015-12-01, expect: {class: BES}}
                  - {name: e, host: a.example, port: 1}
                  - {name: a, host: a.example, port: 1, expect: {}}
                """)).containsExactly(
                "suite.yaml:2:5: case 'a': no host, sni or ip (expected: at least one of host, sni, ip)",
                "suite.yaml:3:21: case 'b': host 'bad..name' is not a host name: empty label (expected: labels"
                        + " separated by single dots)",
                "suite.yaml:4:19: case 'c': ip '300.1.1.1' is not an IP address (expected: IPv4 like 192.0.2.1 or IPv6"
                        + " like 2001:db8::1)",
                "suite.yaml:4:36: case 'c': port 70000 is out of range (expected: 1..65535)",
                "suite.yaml:5:45: case 'd': at '2015-12-01' is not an instant (expected: ISO-8601 with an offset or"
                        + " zone, like 2015-12-01T00:00+05:00, 2015-11-30T19:00Z or 2015-12-01T00:00[Asia/Karachi])",
                "suite.yaml:6:5: case 'e' has no 'expect' (expected: expect: {class, rule, verdict, policy, phase},"
                        + " at least one)",
                "suite.yaml:7:12: case name 'a' is already used at suite.yaml:2:5 (expected: unique case names in a"
                        + " suite)",
                "suite.yaml:7:49: case 'a': expect names nothing (expected: at least one of class, rule, verdict,"
                        + " policy, phase)");
    }

    @Test
    void aMissingConfigIsAnErrorAtTheConfigKey() throws Exception {
        assertThat(errors("""
                config: nowhere
                cases:
                  - {name: a, host: a.example, port: 1, expect: {class: OTHER}}
                """)).containsExactly("suite.yaml:1:9: config 'nowhere' does not exist (expected: a config directory"
                + " or file, relative to the suite file)");
    }

    @Test
    void aBrokenConfigReportsItsOwnErrorsAndPointsAtTheSuite() throws Exception {
        TempConfig.file(dir, "cfg/c.yaml", "classes:\n  - name: BES\n    rules: [{id: x, cidr: 10.0.0.0/33}]\n");

        assertThat(errors("""
                cases:
                  - {name: a, host: a.example, port: 1, expect: {class: OTHER}}
                """)).containsExactly(
                "cfg/c.yaml:3:27: rule 'x': cidr '10.0.0.0/33': prefix length 33 (expected: 0..32)",
                "suite.yaml:1:1: the default config 'cfg' has 1 error (listed with their own locations) (expected: a"
                        + " valid config)");
    }

    @Test
    void theConfigIsResolvedRelativeToTheSuiteFile() throws Exception {
        TempConfig.write(dir.resolve("suites"), "other", TempConfig.CLASSES, null);
        Path file = TempConfig.file(dir, "suites/deep/s.yaml", """
                config: ../other
                cases:
                  - {name: a, host: a.example, port: 1, expect: {class: OTHER}}
                """);

        TestSuite s = SuiteLoader.load(List.of(file), config).get(0);

        assertThat(s.configName()).endsWith("suites/other");
        assertThat(s.config().policies()).isEmpty();
    }

    @Test
    void aDirectoryIsSearchedRecursivelyInPathOrder() throws Exception {
        String suite = "cases: [{name: a, host: a.example, port: 1, expect: {class: OTHER}}]\n";
        TempConfig.file(dir, "t/b.yaml", suite);
        TempConfig.file(dir, "t/a/z.yml", suite);
        TempConfig.file(dir, "t/notes.txt", "not a suite");

        List<TestSuite> suites = SuiteLoader.load(List.of(dir.resolve("t")), config);

        assertThat(suites).extracting(TestSuite::file).map(f -> f.substring(f.indexOf("/t/") + 1))
                .containsExactly("t/a/z.yml", "t/b.yaml");
    }

    @Test
    void flowsForDiffNeedNoExpectation() throws Exception {
        Path file = TempConfig.file(dir, "flows.yaml", """
                cases:
                  - {name: a, host: a.srp.example.com, port: 3101}
                  - {name: b, ip: 192.0.2.9, port: 3101, operator: anything, expect: {class: BES}}
                """);

        List<TestCase> cases = SuiteLoader.loadFlows(file);

        assertThat(cases).extracting(c -> c.flow().target()).containsExactly("a.srp.example.com", "192.0.2.9");
        assertThat(cases.get(1).flow().operator()).isEqualTo("anything");
    }
}
