package org.opgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opgate.classify.Classification;
import org.opgate.config.ConfigException;
import org.opgate.config.ConfigLoader;
import org.opgate.flow.Flow;
import org.opgate.flow.IpAddress;
import org.opgate.flow.IpPrefix;
import org.opgate.source.SourceLocation;

final class PolicyEngineTest {

    private static final ZoneId KARACHI = ZoneId.of("Asia/Karachi");
    private static final Classification BES = new Classification("BES", null);
    private static final Classification BBM = new Classification("BBM", null);
    private static final String PTA_BLOCK_REASON = "BES access closed from 1 Dec 2015 00:00 PKT by order of the"
            + " Pakistan Telecommunication Authority (notice of 24 Jul 2015)";
    private static final String PTA_NOTIFY_REASON = "BES access will close from 1 Dec 2015 00:00 PKT by order of the"
            + " Pakistan Telecommunication Authority (notice of 24 Jul 2015)";
    /** 1 Dec 2015 00:00 PKT. */
    private static final Instant PTA_DEADLINE = Instant.parse("2015-11-30T19:00:00Z");
    /** 24 Jul 2015 00:00 PKT. */
    private static final Instant PTA_NOTICE = Instant.parse("2015-07-23T19:00:00Z");
    /** Any instant well inside every phase built by {@link #policy}. */
    private static final Instant LATER = Instant.parse("2016-01-01T00:00:00Z");

    private static PolicyEngine bundled;

    @BeforeAll
    static void loadBundledConfig() throws ConfigException {
        bundled = ConfigLoader.load(Path.of("config")).policyEngine();
    }

    private static Phase phase(String name, String localFrom, Action action, long rate, boolean cut) {
        LocalDateTime from = LocalDateTime.parse(localFrom);
        return new Phase(name, from, from.atZone(KARACHI).toInstant(), action, rate, cut, "",
                SourceLocation.NONE);
    }

    private static Phase phase(String name, String localFrom, Action action) {
        return phase(name, localFrom, action, action == Action.THROTTLE ? 2000 : 0, false);
    }

    private static Policy policy(String id, Set<String> operators, Policy.Mode mode, Exemptions exempt,
                                 Phase... phases) {
        List<Phase> written = Reasons.write("BES", KARACHI, "the Authority", "order 1", List.of(phases));
        return new Policy(id, "BES", operators, KARACHI, "the Authority", "order 1", mode, exempt, written,
                SourceLocation.NONE);
    }

    /** An enforced policy for every operator whose only phase, from 2015-12-01, has {@code action}. */
    private static Policy policy(String id, Action action) {
        return policy(id, Set.of(), Policy.Mode.ENFORCE, Exemptions.NONE,
                phase(action.configName(), "2015-12-01T00:00", action));
    }

    private static Policy shadow(String id, Action action) {
        return policy(id, Set.of(), Policy.Mode.SHADOW, Exemptions.NONE,
                phase(action.configName(), "2015-12-01T00:00", action));
    }

    private static Flow flow(String operator, String subscriber, String client) {
        return Flow.builder().host("gb.srp.blackberry.com").port(3101).operator(operator).subscriber(subscriber)
                .client(client == null ? null : IpAddress.parse(client)).build();
    }

    private static Flow flow(String operator) {
        return flow(operator, "+923001234567", "127.1.0.5");
    }

    private static Instant karachi(String local) {
        return LocalDateTime.parse(local).atZone(KARACHI).toInstant();
    }

    @ParameterizedTest(name = "{0} gives {1}")
    @CsvSource({
        "ALLOW,    ALLOW",
        "NOTIFY,   NOTIFY",
        "REPORT,   REPORT",
        "THROTTLE, THROTTLE",
        "BLOCK,    BLOCK",
    })
    void everyActionGivesItsVerdict(Action action, Verdict expected) {
        PolicyEngine engine = new PolicyEngine(List.of(policy("p", action)));

        Decision d = engine.decide(BES, flow("mobilink"), LATER);

        assertThat(d.verdict()).isEqualTo(expected);
        assertThat(d.wouldBe()).isEqualTo(expected);
        assertThat(d.policyId()).isEqualTo("p");
        assertThat(d.phase().action()).isEqualTo(action);
    }

    @ParameterizedTest(name = "{0} PKT is {1}")
    @CsvSource({
        "2015-07-23T23:59:59.999, ALLOW",
        "2015-07-24T00:00:00.000, NOTIFY",
        "2015-11-30T23:59:59.999, NOTIFY",
        "2015-12-01T00:00:00.000, BLOCK",
        "2016-07-01T12:00:00.000, BLOCK",
    })
    void bundledPtaPhasesChangeAtTheirExactInstants(String localKarachi, Verdict expected) {
        Decision d = bundled.decide(BES, flow("mobilink"), karachi(localKarachi));

        assertThat(d.verdict()).isEqualTo(expected);
    }

    @Test
    void beforeTheFirstPhaseThePolicyDoesNotApply() {
        Decision d = bundled.decide(BES, flow("ufone"), PTA_NOTICE.minusMillis(1));

        assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(d.decisive()).isNull();
        assertThat(d.applied()).isEmpty();
        assertThat(d.phaseStart()).isNull();
        assertThat(d.reason()).isEqualTo("no policy restricts BES at this time");
    }

    @Test
    void aClassWithoutPoliciesIsAllowed() {
        Decision d = bundled.decide(BBM, flow("ufone"), LATER);

        assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(d.decisive()).isNull();
        assertThat(d.reason()).isEqualTo("no policy restricts BBM at this time");
    }

    @ParameterizedTest(name = "{0} ({2}) starts at {1}")
    @CsvSource({
        // 14 Mar 2021: clocks skip 02:00 EST -> 03:00 EDT; 02:30 moves forward by the gap, to 03:30 EDT.
        "2021-03-14T02:30, 2021-03-14T07:30:00Z, spring-forward gap",
        // 7 Nov 2021: clocks go back 02:00 EDT -> 01:00 EST; 01:30 takes the earlier offset, EDT.
        "2021-11-07T01:30, 2021-11-07T05:30:00Z, fall-back overlap",
    })
    void aFromInADstTransitionStartsAtTheInstantJavaTimeGives(String from, Instant expected, String what,
                                                              @TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("opgate.yaml"), "classes: [c.yaml]\npolicies: [p.yaml]\n");
        Files.writeString(dir.resolve("c.yaml"), "classes:\n  - name: BES\n    rules: [{host: x.example}]\n");
        Files.writeString(dir.resolve("p.yaml"), """
                policies:
                  - id: ny
                    class: BES
                    zone: America/New_York
                    phases:
                      - {name: dst, from: %s, action: block}
                """.formatted(from));
        assertThat(LocalDateTime.parse(from).atZone(ZoneId.of("America/New_York")).toInstant()).isEqualTo(expected);
        PolicyEngine engine = ConfigLoader.load(dir).policyEngine();

        assertThat(engine.policies().get(0).phases().get(0).start()).isEqualTo(expected);
        assertThat(engine.decide(BES, flow(null), expected.minusMillis(1)).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(engine.decide(BES, flow(null), expected).verdict()).isEqualTo(Verdict.BLOCK);
    }

    @Test
    void theMostRestrictiveVerdictWinsAndEveryAppliedPolicyIsNamed() {
        PolicyEngine engine = new PolicyEngine(List.of(
                policy("notify", Action.NOTIFY), policy("block", Action.BLOCK), policy("throttle", Action.THROTTLE)));

        Decision d = engine.decide(BES, flow("mobilink"), LATER);

        assertThat(d.verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(d.policyId()).isEqualTo("block");
        assertThat(d.applied()).extracting(a -> a.policy().id()).containsExactly("notify", "block", "throttle");
        assertThat(d.applied()).extracting(AppliedPolicy::verdict)
                .containsExactly(Verdict.NOTIFY, Verdict.BLOCK, Verdict.THROTTLE);
    }

    @Test
    void aTieGoesToThePolicyDeclaredFirst() {
        PolicyEngine engine = new PolicyEngine(List.of(
                policy("report", Action.REPORT), policy("first", Action.THROTTLE), policy("second", Action.THROTTLE)));

        Decision d = engine.decide(BES, flow("mobilink"), LATER);

        assertThat(d.verdict()).isEqualTo(Verdict.THROTTLE);
        assertThat(d.policyId()).isEqualTo("first");
    }

    @Test
    void aPolicyInItsFirstPhaseAndAnotherNotYetStartedGivesOnlyTheStartedOne() {
        Policy early = policy("early", Set.of(), Policy.Mode.ENFORCE, Exemptions.NONE,
                phase("notice", "2015-07-24T00:00", Action.NOTIFY));
        Policy late = policy("late", Set.of(), Policy.Mode.ENFORCE, Exemptions.NONE,
                phase("deadline", "2015-12-01T00:00", Action.BLOCK));
        PolicyEngine engine = new PolicyEngine(List.of(late, early));

        Decision d = engine.decide(BES, flow("mobilink"), PTA_DEADLINE.minusNanos(1));

        assertThat(d.verdict()).isEqualTo(Verdict.NOTIFY);
        assertThat(d.applied()).extracting(a -> a.policy().id()).containsExactly("early");
    }

    @ParameterizedTest(name = "operator {0}: {1}")
    @CsvSource({
        "ufone,    BLOCK",
        "mobilink, ALLOW",
        "telenor,  ALLOW",
    })
    void aPolicyBoundToOneOperatorTouchesOnlyThatOperatorsFlows(String operator, Verdict expected) {
        Policy ufoneOnly = policy("ufone-only", Set.of("ufone"), Policy.Mode.ENFORCE, Exemptions.NONE,
                phase("deadline", "2015-12-01T00:00", Action.BLOCK));
        PolicyEngine engine = new PolicyEngine(List.of(ufoneOnly));

        Decision d = engine.decide(BES, flow(operator), LATER);

        assertThat(d.verdict()).isEqualTo(expected);
        assertThat(d.applied()).hasSize(expected == Verdict.BLOCK ? 1 : 0);
    }

    @Test
    void aPolicyBoundToOperatorsDoesNotTouchAFlowWhoseOperatorIsUnknown() {
        Policy ufoneOnly = policy("ufone-only", Set.of("ufone"), Policy.Mode.ENFORCE, Exemptions.NONE,
                phase("deadline", "2015-12-01T00:00", Action.BLOCK));
        Policy everyone = policy("everyone", Action.NOTIFY);
        PolicyEngine engine = new PolicyEngine(List.of(ufoneOnly, everyone));

        Decision d = engine.decide(BES, flow(null), LATER);

        assertThat(d.verdict()).isEqualTo(Verdict.NOTIFY);
        assertThat(d.applied()).extracting(a -> a.policy().id()).containsExactly("everyone");
    }

    @ParameterizedTest(name = "{0} from {1}")
    @CsvSource({
        "+923001111111, 127.1.0.1, subscriber +923001111111 is exempt",
        "+923002222222, 127.1.2.9, client 127.1.2.9 is in exempt pool 127.1.2.0/24",
    })
    void anExemptFlowIsAllowedWithTheExemptionInTheReason(String subscriber, String client, String exemption) {
        Exemptions exempt = new Exemptions(Set.of("+923001111111"), List.of(IpPrefix.parse("127.1.2.0/24")));
        Policy block = policy("block", Set.of(), Policy.Mode.ENFORCE, exempt,
                phase("deadline", "2015-12-01T00:00", Action.BLOCK));
        PolicyEngine engine = new PolicyEngine(List.of(block));

        Decision d = engine.decide(BES, flow("mobilink", subscriber, client), LATER);

        assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(d.policyId()).isEqualTo("block");
        assertThat(d.decisive().exemptReason()).isEqualTo(exemption);
        assertThat(d.reason()).isEqualTo("BES access open: " + exemption + " (policy block, phase 'deadline')");
    }

    @Test
    void aSubscriberOutsideTheExemptionsIsNotExempt() {
        Exemptions exempt = new Exemptions(Set.of("+923001111111"), List.of(IpPrefix.parse("127.1.2.0/24")));
        Policy block = policy("block", Set.of(), Policy.Mode.ENFORCE, exempt,
                phase("deadline", "2015-12-01T00:00", Action.BLOCK));
        PolicyEngine engine = new PolicyEngine(List.of(block));

        Decision d = engine.decide(BES, flow("mobilink", "+923001111112", "127.1.3.9"), LATER);

        assertThat(d.verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(d.decisive().exemptReason()).isNull();
    }

    @Test
    void anExemptionFromOnePolicyLeavesTheOtherPoliciesInForce() {
        Exemptions exempt = new Exemptions(Set.of("+923001234567"), List.of());
        Policy block = policy("block", Set.of(), Policy.Mode.ENFORCE, exempt,
                phase("deadline", "2015-12-01T00:00", Action.BLOCK));
        Policy report = policy("report", Action.REPORT);
        PolicyEngine engine = new PolicyEngine(List.of(block, report));

        Decision d = engine.decide(BES, flow("mobilink"), LATER);

        assertThat(d.verdict()).isEqualTo(Verdict.REPORT);
        assertThat(d.policyId()).isEqualTo("report");
        assertThat(d.applied()).extracting(a -> a.policy().id(), AppliedPolicy::verdict, AppliedPolicy::exemptReason)
                .containsExactly(
                        tuple("block", Verdict.ALLOW, "subscriber +923001234567 is exempt"),
                        tuple("report", Verdict.REPORT, null));
    }

    @Test
    void aShadowPolicyAloneLeavesTheFlowAllowedButSetsWouldBe() {
        PolicyEngine engine = new PolicyEngine(List.of(shadow("trial", Action.BLOCK)));

        Decision d = engine.decide(BES, flow("mobilink"), LATER);

        assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(d.wouldBe()).isEqualTo(Verdict.BLOCK);
        assertThat(d.shadowDiffers()).isTrue();
        assertThat(d.decisive()).isNull();
        assertThat(d.applied()).isEmpty();
        assertThat(d.shadow()).extracting(a -> a.policy().id()).containsExactly("trial");
        assertThat(d.shadow().get(0).verdict()).isEqualTo(Verdict.BLOCK);
    }

    @Test
    void aShadowPolicyNeverChangesTheEnforcedVerdict() {
        PolicyEngine engine = new PolicyEngine(List.of(shadow("trial", Action.BLOCK), policy("notice", Action.NOTIFY)));

        Decision d = engine.decide(BES, flow("mobilink"), LATER);

        assertThat(d.verdict()).isEqualTo(Verdict.NOTIFY);
        assertThat(d.policyId()).isEqualTo("notice");
        assertThat(d.reason()).isEqualTo(d.decisive().phase().reason());
        assertThat(d.wouldBe()).isEqualTo(Verdict.BLOCK);
        assertThat(d.applied()).extracting(a -> a.policy().id()).containsExactly("notice");
        assertThat(d.shadow()).extracting(a -> a.policy().id()).containsExactly("trial");
    }

    @Test
    void aLessRestrictiveShadowPolicyLeavesWouldBeAtTheEnforcedVerdict() {
        PolicyEngine engine = new PolicyEngine(List.of(policy("block", Action.BLOCK), shadow("trial", Action.THROTTLE)));

        Decision d = engine.decide(BES, flow("mobilink"), LATER);

        assertThat(d.verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(d.wouldBe()).isEqualTo(Verdict.BLOCK);
        assertThat(d.shadowDiffers()).isFalse();
        assertThat(d.shadow()).hasSize(1);
    }

    @ParameterizedTest(name = "{0} PKT: {1}")
    @CsvSource(delimiter = '|', value = {
        "2015-11-30T23:59:59.999 | " + PTA_NOTIFY_REASON,
        "2015-12-01T00:00:00.000 | " + PTA_BLOCK_REASON,
    })
    void bundledPtaReasonsAreTheTextSubscribersSee(String localKarachi, String reason) {
        Decision d = bundled.decide(BES, flow("zong"), karachi(localKarachi));

        assertThat(d.reason()).isEqualTo(reason);
    }

    @Test
    void theBundledPtaBlockPhaseReasonIsExact() {
        Phase deadline = bundled.policies().get(0).phases().get(1);

        assertThat(deadline.name()).isEqualTo("deadline");
        assertThat(deadline.reason()).isEqualTo(PTA_BLOCK_REASON);
    }

    @Test
    void aDecisionInAMiddlePhaseCarriesItsStartAndEnd() {
        Decision d = bundled.decide(BES, flow("warid"), PTA_DEADLINE.minusSeconds(3600));

        assertThat(d.phase().name()).isEqualTo("notice");
        assertThat(d.phaseStart()).isEqualTo(PTA_NOTICE);
        assertThat(d.phaseEnd()).isEqualTo(PTA_DEADLINE);
    }

    @Test
    void aDecisionInTheLastPhaseHasNoEnd() {
        Decision d = bundled.decide(BES, flow("warid"), PTA_DEADLINE);

        assertThat(d.phase().name()).isEqualTo("deadline");
        assertThat(d.phaseStart()).isEqualTo(PTA_DEADLINE);
        assertThat(d.phaseEnd()).isNull();
    }

    @ParameterizedTest(name = "after {0}: {1}")
    @CsvSource({
        "2015-01-01T00:00:00Z,           2015-07-23T19:00:00Z",
        "2015-07-23T18:59:59.999999999Z, 2015-07-23T19:00:00Z",
        "2015-07-23T19:00:00Z,           2015-11-30T19:00:00Z",
        "2015-11-30T18:59:59.999Z,       2015-11-30T19:00:00Z",
        "2015-11-30T19:00:00Z,           ",
        "2020-01-01T00:00:00Z,           ",
    })
    void nextBoundaryAfterIsTheFirstPhaseStartStrictlyLater(Instant t, Instant expected) {
        assertThat(bundled.nextBoundaryAfter(t)).isEqualTo(expected);
    }

    @Test
    void boundariesMergeEveryPolicysPhaseStartsWithoutDuplicates() {
        Policy a = policy("a", Set.of(), Policy.Mode.ENFORCE, Exemptions.NONE,
                phase("notice", "2015-07-24T00:00", Action.NOTIFY), phase("deadline", "2015-12-01T00:00", Action.BLOCK));
        Policy b = policy("b", Set.of(), Policy.Mode.SHADOW, Exemptions.NONE,
                phase("trial", "2015-10-01T00:00", Action.THROTTLE), phase("deadline", "2015-12-01T00:00", Action.BLOCK));
        PolicyEngine engine = new PolicyEngine(List.of(a, b));

        assertThat(engine.boundaries()).containsExactly(PTA_NOTICE, karachi("2015-10-01T00:00"), PTA_DEADLINE);
        assertThat(engine.nextBoundaryAfter(PTA_NOTICE)).isEqualTo(karachi("2015-10-01T00:00"));
        assertThat(engine.phasesStartingAt(PTA_DEADLINE)).extracting(p -> p.policy().id()).containsExactly("a", "b");
    }
}
