package org.opgate.ruletest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opgate.classify.HostPattern;
import org.opgate.classify.PortSet;
import org.opgate.classify.RuleSet;
import org.opgate.flow.IpPrefix;
import org.opgate.source.SourceLocation;

final class FlowGeneratorTest {

    private static RuleSet rules(RuleSetWriter w) {
        RuleSet.Builder b = RuleSet.builder().trafficClass("BES", "", SourceLocation.NONE)
                .trafficClass("BIS", "", SourceLocation.NONE);
        w.write(b);
        return b.build();
    }

    private interface RuleSetWriter {
        void write(RuleSet.Builder b);
    }

    /** Each generated flow as {@code target:port  source}. */
    private static List<String> generate(RuleSet... sets) {
        return FlowGenerator.fromRules(List.of(sets)).stream()
                .map(f -> f.target() + ":" + f.flow().port() + "  " + f.source()).toList();
    }

    private static PortSet ports(int lo, int hi) {
        return PortSet.of(List.of(new int[] {lo, hi}));
    }

    @Test
    void aWildcardRuleGivesItsEndpointPortEdgesAndNearMisses() {
        RuleSet set = rules(b -> b.rule("BES", "srp", HostPattern.parse("*.srp.example.com"), null, null,
                PortSet.single(3101), SourceLocation.NONE));

        assertThat(generate(set)).containsExactly(
                "srp.example.com:3101  srp: endpoint",
                "srp.example.com:3100  srp: port 3100, below 3101",
                "srp.example.com:3102  srp: port 3102, above 3101",
                "not-srp.example.com:3101  srp: sibling name of *.srp.example.com",
                "example.com:3101  srp: parent of *.srp.example.com");
    }

    @Test
    void twoRulesThatShareFlowsGiveAFlowBothMatchSoAReorderShows() {
        RuleSet set = rules(b -> {
            b.rule("BES", "wide", HostPattern.parse("*.example.com"), null, null, ports(1000, 2000), SourceLocation.NONE);
            b.rule("BIS", "api", HostPattern.parse("api.example.com"), null, null, null, SourceLocation.NONE);
        });

        assertThat(generate(set)).contains("api.example.com:1000  wide and api: matched by both, first match decides");
    }

    @Test
    void aCidrRuleGivesItsNetworkLastAddressAndTheNeighbours() {
        RuleSet set = rules(b -> b.rule("BES", "net", null, null, IpPrefix.parse("192.0.2.0/24"), ports(3100, 3102),
                SourceLocation.NONE));

        assertThat(generate(set)).containsExactly(
                "192.0.2.0:3100  net: endpoint",
                "192.0.2.0:3102  net: last port of 3100-3102",
                "192.0.2.0:3099  net: port 3099, below 3100-3102",
                "192.0.2.0:3103  net: port 3103, above 3100-3102",
                "192.0.2.255:3100  net: last address of 192.0.2.0/24",
                "192.0.1.255:3100  net: address before 192.0.2.0/24",
                "192.0.3.0:3100  net: address after 192.0.2.0/24");
    }

    @Test
    void anExactNameGetsASiblingAndAChildAndAnyPortRuleUses443() {
        RuleSet set = rules(b -> b.rule("BIS", "portal", HostPattern.parse("alltel.example.com"), null, null, null,
                SourceLocation.NONE));

        assertThat(generate(set)).containsExactly(
                "alltel.example.com:443  portal: endpoint",
                "not-alltel.example.com:443  portal: sibling name of alltel.example.com",
                "www.alltel.example.com:443  portal: child of alltel.example.com");
    }

    @Test
    void anSniRuleProbesTheSni() {
        RuleSet set = rules(b -> b.rule("BES", "s", null, HostPattern.parse("a.example.com"), null, PortSet.single(443),
                SourceLocation.NONE));

        assertThat(FlowGenerator.fromRules(List.of(set))).first().satisfies(f -> {
            assertThat(f.flow().sni()).isEqualTo("a.example.com");
            assertThat(f.flow().host()).isNull();
        });
    }

    @Test
    void flowsOfBothRuleSetsAreKeptOnceWithTheFirstSource() {
        RuleSet a = rules(b -> b.rule("BES", "old", HostPattern.parse("*.srp.example.com"), null, null,
                PortSet.single(3101), SourceLocation.NONE));
        RuleSet b2 = rules(b -> b.rule("BES", "new", HostPattern.parse("*.srp.example.com"), null, null,
                ports(3101, 3102), SourceLocation.NONE));

        List<String> flows = generate(a, b2);

        assertThat(flows).contains("srp.example.com:3101  old: endpoint", "srp.example.com:3102  old: port 3102, above 3101",
                "srp.example.com:3103  new: port 3103, above 3101-3102");
        assertThat(flows).filteredOn(f -> f.startsWith("srp.example.com:3102")).hasSize(1);
    }
}
