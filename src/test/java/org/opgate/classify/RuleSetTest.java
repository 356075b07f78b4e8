package org.opgate.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opgate.source.SourceLocation;

final class RuleSetTest {

    private static final PortSet PORT_443 = PortSet.single(443);

    private static SourceLocation at(int line) {
        return SourceLocation.of("classes.yaml", line, 5);
    }

    private static EndpointRule add(RuleSet.Builder b, String className, String id, int line) {
        return b.rule(className, id, null, null, null, PORT_443, at(line));
    }

    @Test
    void builderNumbersRulesInTheOrderTheyAreAdded() {
        RuleSet.Builder b = RuleSet.builder().trafficClass("BES", null, at(1)).trafficClass("BBM", null, at(2));
        add(b, "BES", "x", 3);
        add(b, "BBM", "y", 4);
        add(b, "BES", "z", 5);

        RuleSet rules = b.build();

        assertThat(rules.rules()).extracting(EndpointRule::id).containsExactly("x", "y", "z");
        assertThat(rules.rules()).extracting(EndpointRule::position).containsExactly(0, 1, 2);
    }

    @Test
    void ruleWithoutIdGetsClassNameAndOrdinal() {
        RuleSet.Builder b = RuleSet.builder().trafficClass("BES", null, at(1)).trafficClass("BBM", null, at(2));
        add(b, "BES", null, 3);
        add(b, "BBM", null, 4);
        add(b, "BES", null, 5);

        assertThat(b.build().rules()).extracting(EndpointRule::id).containsExactly("BES-1", "BBM-1", "BES-2");
    }

    @Test
    void defaultOrdinalCountsRulesWithExplicitIds() {
        RuleSet.Builder b = RuleSet.builder().trafficClass("BES", null, at(1));
        add(b, "BES", "srp", 2);

        assertThat(b.nextDefaultId("BES")).isEqualTo("BES-2");
        assertThat(add(b, "BES", null, 3).id()).isEqualTo("BES-2");
    }

    @Test
    void duplicateIdIsRefusedNamingTheFirstLocation() {
        RuleSet.Builder b = RuleSet.builder().trafficClass("BES", null, at(1)).trafficClass("BBM", null, at(2));
        add(b, "BES", "relay", 3);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> add(b, "BBM", "relay", 7))
                .withMessage("rule id 'relay' is already used at classes.yaml:3:5 (expected: unique rule ids)");
    }

    @Test
    void refusedRuleLeavesTheBuilderUnchanged() {
        RuleSet.Builder b = RuleSet.builder().trafficClass("BES", null, at(1));
        add(b, "BES", "relay", 2);
        assertThatIllegalArgumentException().isThrownBy(() -> add(b, "BES", "relay", 3));

        EndpointRule next = add(b, "BES", null, 4);

        assertThat(next.position()).isEqualTo(1);
        assertThat(next.id()).isEqualTo("BES-2");
    }

    @Test
    void defaultIdSkipsAnIdTakenExplicitly() {
        RuleSet.Builder b = RuleSet.builder().trafficClass("BES", null, at(1));
        add(b, "BES", "BES-2", 2);

        assertThat(add(b, "BES", null, 3).id()).isEqualTo("BES-3");
    }

    @Test
    void otherIsReservedAsAClassName() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RuleSet.builder().trafficClass("OTHER", null, at(1)))
                .withMessageContaining("class name 'OTHER' is reserved");
    }

    @Test
    void otherIsAlwaysAKnownClass() {
        assertThat(RuleSet.EMPTY.hasClass("OTHER")).isTrue();
        assertThat(RuleSet.EMPTY.hasClass("BES")).isFalse();
    }

    @Test
    void ruleForAnUndeclaredClassIsRefused() {
        RuleSet.Builder b = RuleSet.builder();

        assertThatIllegalArgumentException()
                .isThrownBy(() -> add(b, "BES", null, 1))
                .withMessage("class 'BES' is not declared");
    }

    @Test
    void classDeclaredInTwoBlocksInterleavesItsRules() {
        RuleSet.Builder b = RuleSet.builder();
        b.trafficClass("BES", "enterprise", at(1));
        add(b, "BES", null, 2);
        b.trafficClass("BBM", null, at(3));
        add(b, "BBM", null, 4);
        b.trafficClass("BES", null, at(5));
        add(b, "BES", null, 6);

        RuleSet rules = b.build();

        assertThat(rules.rules()).extracting(EndpointRule::id).containsExactly("BES-1", "BBM-1", "BES-2");
        assertThat(rules.classes()).extracting(TrafficClass::name).containsExactly("BES", "BBM");
        assertThat(rules.rulesOf("BES")).extracting(EndpointRule::position).containsExactly(0, 2);
        assertThat(rules.trafficClass("BES")).isEqualTo(new TrafficClass("BES", "enterprise", at(1)));
    }

    @Test
    void laterBlockMayDescribeAClassDeclaredWithoutDescription() {
        RuleSet rules = RuleSet.builder()
                .trafficClass("BES", null, at(1))
                .trafficClass("BES", "enterprise", at(5))
                .build();

        assertThat(rules.trafficClass("BES")).isEqualTo(new TrafficClass("BES", "enterprise", at(1)));
    }

    @Test
    void secondDescriptionIsRefused() {
        RuleSet.Builder b = RuleSet.builder().trafficClass("BES", "enterprise", at(1));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> b.trafficClass("BES", "again", at(5)))
                .withMessage("class 'BES' already has a description at classes.yaml:1:5"
                        + " (expected: one description per class)");
    }

    @Test
    void rulesOutOfPositionAreRefused() {
        EndpointRule second = new EndpointRule("r", "BES", 1, null, null, null, PORT_443, at(1));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RuleSet(List.of(), List.of(second)))
                .withMessage("rule 'r' has position 1 (expected: 0)");
    }

    @Test
    void unknownClassHasNoRules() {
        assertThat(RuleSet.EMPTY.trafficClass("BES")).isNull();
        assertThat(RuleSet.EMPTY.rulesOf("BES")).isEmpty();
    }
}
