package org.opgate.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.opgate.flow.IpPrefix;
import org.opgate.source.SourceLocation;
import org.junit.jupiter.api.Test;

final class RuleCheckerTest {

    private static final SourceLocation AT = SourceLocation.of("t.yaml", 1, 1);

    /** Builds a rule set from rows of {class, host, sni, cidr, ports}. */
    private static RuleSet rules(String[]... rows) {
        RuleSet.Builder b = RuleSet.builder();
        int line = 1;
        for (String[] r : rows) {
            b.trafficClass(r[0], null, AT);
            b.rule(r[0], null,
                    r[1] == null ? null : HostPattern.parse(r[1]),
                    r[2] == null ? null : HostPattern.parse(r[2]),
                    r[3] == null ? null : IpPrefix.parse(r[3]),
                    r[4] == null ? null : ports(r[4]),
                    SourceLocation.of("t.yaml", line++, 7));
        }
        return b.build();
    }

    private static PortSet ports(String text) {
        return PortSet.of(java.util.Arrays.stream(text.split(",")).map(PortSet::parseElement).toList());
    }

    private static String[] row(String cls, String host, String sni, String cidr, String ports) {
        return new String[] {cls, host, sni, cidr, ports};
    }

    @Test
    void ruleUnderAnEarlierWildcardOfAnotherClassIsShadowed() {
        List<Finding> f = RuleChecker.check(rules(
                row("BES", "*.blackberry.com", null, null, null),
                row("BIS", "mail.bis.blackberry.com", null, null, "443")));
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.kind()).isEqualTo(Finding.Kind.SHADOWED);
            assertThat(x.rule().id()).isEqualTo("BIS-1");
            assertThat(x.other().id()).isEqualTo("BES-1");
            assertThat(x.message()).contains("can never match", "t.yaml:1");
        });
    }

    @Test
    void anOverlapWithAnSniRuleGivesAnExampleWithTheSniSoExplainAgrees() {
        List<Finding> f = RuleChecker.check(rules(
                row("A", null, "x.test", null, null),
                row("B", "x.test", null, null, null)));
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.kind()).isEqualTo(Finding.Kind.OVERLAP);
            assertThat(x.message()).contains("host x.test sni x.test port 443 matches both; first match gives A");
        });
    }

    @Test
    void ruleCoveredBySameClassIsReportedAsRedundant() {
        List<Finding> f = RuleChecker.check(rules(
                row("BES", null, null, "10.0.0.0/8", "3101"),
                row("BES", null, null, "10.1.0.0/16", "3101")));
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.kind()).isEqualTo(Finding.Kind.SHADOWED);
            assertThat(x.message()).contains("redundant");
        });
    }

    @Test
    void narrowerRuleBeforeWiderRuleIsNotShadowed() {
        List<Finding> f = RuleChecker.check(rules(
                row("BIS", "mail.blackberry.com", null, null, null),
                row("BIS", "*.blackberry.com", null, null, null)));
        assertThat(f).isEmpty();
    }

    @Test
    void hostRuleCoversALaterSniRuleForTheSameName() {
        List<Finding> f = RuleChecker.check(rules(
                row("BES", "*.bbsecure.com", null, null, null),
                row("BIS", null, "ca.bbsecure.com", null, null)));
        assertThat(f).extracting(Finding::kind).containsExactly(Finding.Kind.SHADOWED);
    }

    @Test
    void sniRuleDoesNotCoverALaterHostRule() {
        List<Finding> f = RuleChecker.check(rules(
                row("BES", null, "*.bbsecure.com", null, null),
                row("BES", "ca.bbsecure.com", null, null, null)));
        assertThat(f).isEmpty();
    }

    @Test
    void portsOfTheEarlierRuleMustIncludeAllPortsOfTheLater() {
        List<Finding> f = RuleChecker.check(rules(
                row("BES", "*.srp.blackberry.com", null, null, "3101"),
                row("BES", "gb.srp.blackberry.com", null, null, "443,3101")));
        assertThat(f).isEmpty();
    }

    @Test
    void portOnlyRuleShadowsEveryLaterRuleOnItsPorts() {
        List<Finding> f = RuleChecker.check(rules(
                row("BES", null, null, null, "3000-3200"),
                row("BIS", null, null, "68.171.224.0/19", "3101")));
        assertThat(f).extracting(Finding::kind).containsExactly(Finding.Kind.SHADOWED);
    }

    @Test
    void nestedNamesOfDifferentClassesOverlapWhenTheNarrowerComesFirst() {
        List<Finding> f = RuleChecker.check(rules(
                row("BBM", "goods.bbm.blackberry.com", null, null, null),
                row("BIS", "*.blackberry.com", null, null, "443")));
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.kind()).isEqualTo(Finding.Kind.OVERLAP);
            assertThat(x.rule().id()).isEqualTo("BIS-1");
            assertThat(x.message()).contains("host goods.bbm.blackberry.com port 443", "first match gives BBM");
        });
    }

    @Test
    void overlappingCidrsOfDifferentClassesAreReported() {
        List<Finding> f = RuleChecker.check(rules(
                row("BES", null, null, "10.1.0.0/16", "3101"),
                row("BIS", null, null, "10.0.0.0/8", null)));
        assertThat(f).extracting(Finding::kind).containsExactly(Finding.Kind.OVERLAP);
    }

    @Test
    void disjointPortsMeanNoOverlap() {
        List<Finding> f = RuleChecker.check(rules(
                row("BES", "*.blackberry.com", null, null, "3101"),
                row("BIS", "*.bis.blackberry.com", null, null, "443")));
        assertThat(f).isEmpty();
    }

    @Test
    void nameRuleAndAddressRuleAreNotReportedAsOverlapping() {
        List<Finding> f = RuleChecker.check(rules(
                row("BES", null, null, "68.171.224.0/19", "3101"),
                row("BBM", "*.bbm.blackberry.com", null, null, null)));
        assertThat(f).isEmpty();
    }

    @Test
    void portOnlyRuleOverlapsRulesOfOtherClassesOnItsPort() {
        List<Finding> f = RuleChecker.check(rules(
                row("BIS", "*.example.org", null, null, "3101"),
                row("BES", null, null, null, "3101")));
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.kind()).isEqualTo(Finding.Kind.OVERLAP);
            assertThat(x.rule().id()).isEqualTo("BES-1");
        });
    }

    @Test
    void coverageByTheUnionOfSeveralRulesIsNotReported() {
        List<Finding> f = RuleChecker.check(rules(
                row("BES", null, null, null, "1-100"),
                row("BES", null, null, null, "101-200"),
                row("BES", null, null, null, "50-150")));
        assertThat(f).isEmpty();
    }

    @Test
    void bundledStyleRuleSetHasNoFindings() {
        List<Finding> f = RuleChecker.check(rules(
                row("BES", "*.srp.blackberry.com", null, null, "3101"),
                row("BES", null, null, "68.171.224.0/19", "3101"),
                row("BBM", "*.bbm.blackberry.com", null, null, "443,8443"),
                row("BIS", "*.bis.na.blackberry.com", null, null, null)));
        assertThat(f).isEmpty();
    }
}
