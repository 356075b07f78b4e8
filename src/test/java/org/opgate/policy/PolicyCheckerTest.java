package org.opgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opgate.classify.RuleChecker;
import org.opgate.config.ConfigException;
import org.opgate.config.ConfigLoader;
import org.opgate.config.OpgateConfig;

final class PolicyCheckerTest {

    /**
     * BES and BBM have live rules; EMPTY has none; BIS has one rule, shadowed by the earlier WIDE
     * rule, so no flow can ever be BIS.
     */
    private static final String CLASSES = """
            classes:
              - name: BES
                rules: [{id: bes, host: "*.srp.blackberry.com", ports: [3101]}]
              - name: BBM
                rules: [{id: bbm, host: "*.bbm.blackberry.com"}]
              - name: EMPTY
              - name: WIDE
                rules: [{id: wide, host: "*.blackberry.net"}]
              - name: BIS
                rules: [{id: bis, host: "*.bis.blackberry.net"}]
            """;

    @TempDir
    Path dir;

    private List<PolicyFinding> check(String policies) throws IOException, ConfigException {
        Files.writeString(dir.resolve("opgate.yaml"), "classes: [c.yaml]\npolicies: [p.yaml]\n");
        Files.writeString(dir.resolve("c.yaml"), CLASSES);
        Files.writeString(dir.resolve("p.yaml"), policies);
        return check(ConfigLoader.load(dir));
    }

    private static List<PolicyFinding> check(OpgateConfig cfg) {
        return PolicyChecker.check(cfg.policies(), cfg.rules(), RuleChecker.check(cfg.rules()));
    }

    private String p() {
        return dir.resolve("p.yaml").toString().replace('\\', '/');
    }

    private static String policy(String cls, String zone, String... phases) {
        StringBuilder b = new StringBuilder("policies:\n  - id: p1\n    class: " + cls + "\n    zone: " + zone
                + "\n    phases:\n");
        for (String ph : phases) {
            b.append("      - ").append(ph).append('\n');
        }
        return b.toString();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "2021-03-14T02:30 | local time 2021-03-14T02:30 does not exist in America/New_York (clocks skip from 02:00 to"
                + " 03:00); the phase starts at 2021-03-14T03:30-04:00 (2021-03-14T07:30:00Z)",
        "2021-11-07T01:30 | local time 2021-11-07T01:30 occurs twice in America/New_York (clocks go back from 02:00 to"
                + " 01:00); the earlier one is used; the phase starts at 2021-11-07T01:30-04:00 (2021-11-07T05:30:00Z)",
    })
    void aPhaseInADstGapOrOverlapIsReportedWithTheInstantUsed(String from, String message) throws Exception {
        List<PolicyFinding> findings = check(policy("BES", "America/New_York",
                "{name: before, from: 2021-01-01T00:00, action: notify}",
                "{name: dst, from: " + from + ", action: block}"));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(PolicyFinding.Kind.LOCAL_TIME);
            assertThat(f.where()).hasToString(p() + ":7:9");
            assertThat(f.message()).isEqualTo("policy 'p1' phase 'dst': " + message);
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2021-03-14T01:59:59", "2021-03-14T03:00", "2021-11-07T00:59:59", "2021-11-07T02:00"})
    void aPhaseJustOutsideADstTransitionIsNotReported(String from) throws Exception {
        assertThat(check(policy("BES", "America/New_York", "{name: edge, from: " + from + ", action: block}"))).isEmpty();
    }

    @Test
    void aPolicyOnAClassWithoutRulesCanNeverApply() throws Exception {
        List<PolicyFinding> findings = check(policy("EMPTY", "UTC", "{from: 2015-12-01, action: block}"));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(PolicyFinding.Kind.NEVER_APPLIES);
            assertThat(f.where()).hasToString(p() + ":2:5");
            assertThat(f.message()).isEqualTo("policy 'p1' can never apply: no rule can put a flow in class EMPTY");
        });
    }

    @Test
    void aPolicyOnAClassWhoseRulesAreAllShadowedCanNeverApply() throws Exception {
        List<PolicyFinding> findings = check(policy("BIS", "UTC", "{from: 2015-12-01, action: block}"));

        assertThat(findings).extracting(PolicyFinding::kind, PolicyFinding::message).containsExactly(
                tuple(PolicyFinding.Kind.NEVER_APPLIES,
                        "policy 'p1' can never apply: no rule can put a flow in class BIS"));
    }

    @Test
    void aPolicyOnOtherIsNotReportedForHavingNoRules() throws Exception {
        assertThat(check(policy("OTHER", "UTC", "{from: 2015-12-01, action: throttle, rate: 2000}"))).isEmpty();
    }

    @Test
    void aPolicyWhosePhasesAllAllowIsReported() throws Exception {
        List<PolicyFinding> findings = check(policy("BES", "UTC",
                "{name: open, from: 2015-07-24, action: allow}", "{name: still-open, from: 2015-12-01, action: allow}"));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(PolicyFinding.Kind.NEVER_APPLIES);
            assertThat(f.message()).isEqualTo("policy 'p1' never changes anything: every phase allows");
        });
    }

    @Test
    void overlappingExemptPoolsAreReported() throws Exception {
        List<PolicyFinding> findings = check("""
                policies:
                  - id: p1
                    class: BES
                    zone: UTC
                    exempt:
                      pools: [10.0.0.0/8, 192.168.0.0/16, 10.20.0.0/16]
                    phases: [{from: 2015-12-01, action: block}]
                """);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(PolicyFinding.Kind.OVERLAPPING_EXEMPTIONS);
            assertThat(f.message()).isEqualTo("policy 'p1': exempt pools 10.0.0.0/8 and 10.20.0.0/16 overlap");
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"config", "config/pta-2015-as-happened.yaml", "config/uae-2010.yaml",
        "config/uae-2010-as-happened.yaml"})
    void theBundledConfigsHaveNoPolicyFindings(String config) throws ConfigException {
        OpgateConfig cfg = ConfigLoader.load(Path.of(config));

        assertThat(cfg.policies()).isNotEmpty();
        assertThat(check(cfg)).isEmpty();
    }
}
