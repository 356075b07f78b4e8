package org.opgate.ruletest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.config.ConfigLoader;
import org.opgate.config.OpgateConfig;
import org.opgate.flow.Flow;
import org.opgate.policy.Verdict;
import org.opgate.ruletest.ConfigDiff.Change;

final class ConfigDiffTest {

    private static final Instant NOTICE = Instant.parse("2015-10-31T19:00:00Z");
    private static final Instant DEADLINE = Instant.parse("2015-11-30T19:00:00Z");
    private static final Instant FROM = Instant.parse("2015-10-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2016-06-01T00:00:00Z");

    @TempDir
    Path dir;

    private OpgateConfig config(String name, String classes, String policies) throws Exception {
        return ConfigLoader.load(TempConfig.write(dir, name, classes, policies));
    }

    private static DiffFlow flow(String host, int port) {
        return new DiffFlow(Flow.builder().host(host).port(port).build(), host + ":" + port);
    }

    private static String describe(Change c) {
        return (c.from() == null ? "start" : c.from()) + ".." + (c.until() == null ? "end" : c.until()) + " "
                + c.operators() + " " + c.before() + " -> " + c.after();
    }

    @Test
    void aChangedRuleChangesTheClassFromTheWindowStartAndTheVerdictAtEachPhase() throws Exception {
        OpgateConfig before = config("old", TempConfig.CLASSES, TempConfig.POLICY);
        OpgateConfig after = config("new", TempConfig.CLASSES.replace("ports: [3101]}\n      - {id: bes-net",
                "ports: [3101, 443]}\n      - {id: bes-net"), TempConfig.POLICY);

        ConfigDiff.Result r = ConfigDiff.compare(before, after, List.of(flow("gb.srp.example.com", 443)), FROM, TO);

        assertThat(r.changes()).extracting(ConfigDiffTest::describe).containsExactly(
                FROM + ".." + NOTICE + " [mobilink, ufone] OTHER - allow -> BES bes-host allow",
                NOTICE + ".." + DEADLINE + " [mobilink, ufone] OTHER - allow -> BES bes-host notify",
                DEADLINE + "..end [mobilink, ufone] OTHER - allow -> BES bes-host block");
    }

    @Test
    void aDomainFrontedFlowIsDecidedOnBothNamesAsTheGatewayDecidesIt() throws Exception {
        OpgateConfig before = config("old", TempConfig.BBM_FIRST, null);
        OpgateConfig after = config("new", TempConfig.BBM_FIRST, TempConfig.POLICY);
        DiffFlow fronted = new DiffFlow(Flow.builder().host("gb.srp.example.com").sni("x.bbm.example.com").port(3101)
                .build(), "fronted");

        ConfigDiff.Result r = ConfigDiff.compare(before, after, List.of(fronted), FROM, TO);

        assertThat(r.changes()).extracting(ConfigDiffTest::describe).containsExactly(
                NOTICE + ".." + DEADLINE + " [mobilink, ufone] BES bes-host allow -> BES bes-host notify",
                DEADLINE + "..end [mobilink, ufone] BES bes-host allow -> BES bes-host block");
    }

    @Test
    void aMovedPhaseDateChangesTheVerdictOnlyBetweenTheTwoDates() throws Exception {
        OpgateConfig before = config("old", TempConfig.CLASSES, TempConfig.POLICY);
        OpgateConfig after = config("new", TempConfig.CLASSES,
                TempConfig.POLICY.replace("from: 2015-12-01T00:00", "from: 2015-12-15T00:00"));

        ConfigDiff.Result r = ConfigDiff.compare(before, after, List.of(flow("gb.srp.example.com", 3101)), FROM, TO);

        assertThat(r.changes()).extracting(ConfigDiffTest::describe).containsExactly(
                DEADLINE + "..2015-12-14T19:00:00Z [mobilink, ufone] BES bes-host block -> BES bes-host notify");
        assertThat(r.boundaries()).containsExactly(NOTICE, DEADLINE, Instant.parse("2015-12-14T19:00:00Z"));
    }

    @Test
    void anAddedPolicyChangesTheVerdictFromItsFirstPhaseForItsOperatorsOnly() throws Exception {
        OpgateConfig before = config("old", TempConfig.CLASSES, TempConfig.POLICY);
        OpgateConfig after = config("new", TempConfig.CLASSES, TempConfig.POLICY + """
                  - id: bbm-ufone
                    class: BBM
                    operators: [ufone]
                    zone: UTC
                    phases: [{from: 2016-01-01T00:00, action: block}]
                """);

        ConfigDiff.Result r = ConfigDiff.compare(before, after,
                List.of(flow("gb.srp.example.com", 3101), flow("goods.bbm.example.com", 443)), FROM, TO);

        assertThat(r.changes()).singleElement().satisfies(c -> {
            assertThat(c.flow().target()).isEqualTo("goods.bbm.example.com");
            assertThat(c.operators()).containsExactly("ufone");
            assertThat(c.from()).isEqualTo(Instant.parse("2016-01-01T00:00:00Z"));
            assertThat(c.until()).isNull();
            assertThat(c.before().verdict()).isEqualTo(Verdict.ALLOW);
            assertThat(c.after().verdict()).isEqualTo(Verdict.BLOCK);
            assertThat(c.after().policy()).isEqualTo("bbm-ufone");
        });
        assertThat(r.changedFlows()).isEqualTo(1);
    }

    @Test
    void aRenamedRuleIsAChangeEvenWithTheSameClass() throws Exception {
        OpgateConfig before = config("old", TempConfig.CLASSES, null);
        OpgateConfig after = config("new", TempConfig.CLASSES.replace("id: bes-host", "id: bes-srp"), null);

        ConfigDiff.Result r = ConfigDiff.compare(before, after, List.of(flow("gb.srp.example.com", 3101)), null, null);

        assertThat(r.changes()).extracting(ConfigDiffTest::describe)
                .containsExactly("start..end [mobilink, ufone] BES bes-host allow -> BES bes-srp allow");
    }

    @Test
    void identicalConfigsHaveNoChanges() throws Exception {
        OpgateConfig cfg = config("same", TempConfig.CLASSES, TempConfig.POLICY);

        ConfigDiff.Result r = ConfigDiff.compare(cfg, cfg, FlowGenerator.fromRules(List.of(cfg.rules())), null, null);

        assertThat(r.changes()).isEmpty();
        assertThat(r.flowCount()).isGreaterThan(10);
    }

    @Test
    void boundariesOutsideTheWindowAreNotEvaluated() throws Exception {
        OpgateConfig before = config("old", TempConfig.CLASSES, TempConfig.POLICY);
        OpgateConfig after = config("new", TempConfig.CLASSES,
                TempConfig.POLICY.replace("from: 2015-12-01T00:00", "from: 2015-12-15T00:00"));

        ConfigDiff.Result r = ConfigDiff.compare(before, after, List.of(flow("gb.srp.example.com", 3101)), FROM,
                Instant.parse("2015-11-15T00:00:00Z"));

        assertThat(r.boundaries()).containsExactly(NOTICE);
        assertThat(r.changes()).isEmpty();
    }

    @Test
    void aFlowsOwnOperatorLimitsItToThatOperator() throws Exception {
        OpgateConfig before = config("old", TempConfig.CLASSES, TempConfig.POLICY);
        OpgateConfig after = config("new", TempConfig.CLASSES, null);
        DiffFlow f = new DiffFlow(Flow.builder().ip("192.0.2.1").port(3101).operator("mobilink").build(), "f");

        ConfigDiff.Result r = ConfigDiff.compare(before, after, List.of(f), DEADLINE, null);

        assertThat(r.changes()).extracting(ConfigDiffTest::describe)
                .containsExactly(DEADLINE + "..end [mobilink] BES bes-net block -> BES bes-net allow");
    }

    @Test
    void anOperatorNeitherConfigKnowsIsRefused() throws Exception {
        OpgateConfig cfg = config("same", TempConfig.CLASSES, null);
        DiffFlow f = new DiffFlow(Flow.builder().ip("192.0.2.1").port(3101).operator("telenor").build(), "flows.csv:2");

        assertThatIllegalArgumentException().isThrownBy(() -> ConfigDiff.compare(cfg, cfg, List.of(f), null, null))
                .withMessage("flows.csv:2: operator 'telenor' is in neither config (expected: one of mobilink, ufone)");
    }

    @Test
    void aBackwardsWindowIsRefused() throws Exception {
        OpgateConfig cfg = config("same", TempConfig.CLASSES, null);

        assertThatIllegalArgumentException().isThrownBy(() -> ConfigDiff.compare(cfg, cfg, List.of(), TO, FROM))
                .withMessageContaining("before it starts");
    }
}
