package org.opgate.ruletest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.ruletest.CaseResult.Mismatch;

final class SuiteRunnerTest {

    @TempDir
    Path dir;

    private Path config;

    @BeforeEach
    void writeConfig() throws Exception {
        config = TempConfig.write(dir, "cfg", TempConfig.CLASSES, TempConfig.POLICY);
    }

    private CaseResult run(String cases) throws Exception {
        Path file = TempConfig.file(dir, "suite.yaml", "cases:\n" + cases);
        TestSuite suite = SuiteLoader.load(List.of(file), config).get(0);
        return SuiteRunner.run(suite).cases().get(0);
    }

    @Test
    void aCaseWhoseExpectationsHoldPasses() throws Exception {
        CaseResult r = run("""
                  - name: a
                    host: gb.srp.example.com
                    port: 3101
                    at: 2015-12-01T00:00+05:00
                    expect: {class: BES, rule: bes-host, verdict: block, policy: bes-order, phase: deadline}
                """);

        assertThat(r.passed()).isTrue();
        assertThat(r.mismatches()).isEmpty();
        assertThat(r.classification().rule().id()).isEqualTo("bes-host");
    }

    @Test
    void aBlockedHostBehindAnAllowedSniIsBlockedAsTheGatewayBlocksIt() throws Exception {
        Path fronted = TempConfig.write(dir, "fronted", TempConfig.BBM_FIRST, TempConfig.POLICY);
        Path file = TempConfig.file(dir, "fronted.yaml", """
                cases:
                  - name: fronted
                    host: gb.srp.example.com
                    sni: x.bbm.example.com
                    port: 3101
                    at: 2015-12-01T00:00+05:00
                    expect: {verdict: block, policy: bes-order}
                """);

        CaseResult r = SuiteRunner.run(SuiteLoader.load(List.of(file), fronted).get(0)).cases().get(0);

        assertThat(r.mismatches()).isEmpty();
    }

    @Test
    void aWrongClassFailsWithTheActualClass() throws Exception {
        CaseResult r = run("  - {name: a, host: gb.srp.example.com, port: 3101, expect: {class: BBM}}\n");

        assertThat(r.passed()).isFalse();
        assertThat(r.mismatches()).containsExactly(new Mismatch("class", "BBM", "BES", List.of()));
    }

    @Test
    void expectingNoRuleFailsWhenARuleMatches() throws Exception {
        CaseResult r = run("  - {name: a, ip: 192.0.2.1, port: 3101, expect: {class: OTHER, rule: none}}\n");

        assertThat(r.mismatches()).extracting(Mismatch::toString)
                .containsExactly("class: expected OTHER, got BES", "rule: expected none, got bes-net");
    }

    @Test
    void withoutAnOperatorEveryOperatorIsDecided() throws Exception {
        CaseResult r = run("""
                  - {name: a, host: gb.srp.example.com, port: 3101, at: 2015-11-30T23:59:59.999+05:00, expect: {verdict: block}}
                """);

        assertThat(r.decisions()).extracting(CaseResult.OperatorDecision::operator).containsExactly("mobilink", "ufone");
        assertThat(r.mismatches()).extracting(Mismatch::toString)
                .containsExactly("verdict: expected block, got notify (mobilink, ufone)");
    }

    @Test
    void anOperatorLimitsTheDecisionToThatOperator() throws Exception {
        CaseResult r = run("""
                  - {name: a, host: gb.srp.example.com, port: 3101, operator: ufone, at: 2015-12-01T00:00+05:00, expect: {verdict: block}}
                """);

        assertThat(r.passed()).isTrue();
        assertThat(r.decisions()).extracting(CaseResult.OperatorDecision::operator).containsExactly("ufone");
    }

    @Test
    void aSubscriberNumberPicksItsOperator() throws Exception {
        CaseResult r = run("""
                  - {name: a, host: gb.srp.example.com, port: 3101, subscriber: "923301234567", at: 2015-12-01T00:00+05:00, expect: {verdict: block}}
                """);

        assertThat(r.decisions()).extracting(CaseResult.OperatorDecision::operator).containsExactly("ufone");
    }

    @Test
    void aClassWithoutPolicyIsAllowedByNone() throws Exception {
        CaseResult r = run("""
                  - {name: a, host: goods.bbm.example.com, port: 443, at: 2015-12-01T00:00+05:00, expect: {verdict: allow, policy: none, phase: none}}
                """);

        assertThat(r.passed()).isTrue();
    }

    @Test
    void aWrongPhaseNamesThePhaseInForce() throws Exception {
        CaseResult r = run("""
                  - {name: a, host: gb.srp.example.com, port: 3101, operator: mobilink, at: 2015-11-30T23:59:59.999+05:00, expect: {phase: deadline}}
                """);

        assertThat(r.mismatches()).extracting(Mismatch::toString)
                .containsExactly("phase: expected deadline, got notice (mobilink)");
    }

    @Test
    void theBoundaryInstantItselfBelongsToTheNewPhase() throws Exception {
        CaseResult r = run("""
                  - {name: a, ip: 192.0.2.1, port: 3101, at: 2015-11-30T19:00Z, expect: {verdict: block, phase: deadline}}
                """);

        assertThat(r.passed()).isTrue();
    }

    @Test
    void suiteResultCountsPassedAndFailedCases() throws Exception {
        Path file = TempConfig.file(dir, "suite.yaml", """
                cases:
                  - {name: a, host: gb.srp.example.com, port: 3101, expect: {class: BES}}
                  - {name: b, host: gb.srp.example.com, port: 443, expect: {class: BES}}
                  - {name: c, host: gb.srp.example.com, port: 443, expect: {class: OTHER}}
                """);

        SuiteResult r = SuiteRunner.run(SuiteLoader.load(List.of(file), config).get(0));

        assertThat(r.passed()).isEqualTo(2);
        assertThat(r.failed()).isEqualTo(1);
    }
}
