package org.opgate.classify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.opgate.flow.Flow;
import org.opgate.flow.IpPrefix;
import org.opgate.source.SourceLocation;

final class ExplanationTest {

    private static final SourceLocation AT = SourceLocation.of("t.yaml", 1, 1);

    private static RuleSet blackberry() {
        RuleSet.Builder b = RuleSet.builder();
        b.trafficClass("BES", "enterprise", AT).trafficClass("BIS", "internet", AT);
        b.rule("BES", "srp", HostPattern.parse("*.srp.blackberry.com"), null, null, PortSet.single(3101), AT);
        b.rule("BES", "rim", null, null, IpPrefix.parse("68.171.224.0/19"), PortSet.single(3101), AT);
        b.rule("BIS", "bis", HostPattern.parse("*.blackberry.com"), null, null, null, AT);
        return b.build();
    }

    @Test
    void winnerCarriesOneCheckPerFieldAllMatched() {
        Explanation ex = Explanation.of(blackberry(),
                Flow.builder().host("gb.srp.blackberry.com").port(3101).build(), 10);
        assertThat(ex.classification().trafficClass()).isEqualTo("BES");
        assertThat(ex.winner().checks()).extracting(FieldCheck::field, FieldCheck::matched)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("host", true),
                        org.assertj.core.groups.Tuple.tuple("ports", true));
    }

    @Test
    void ruleWhoseNameMatchedButPortDidNotIsANearMiss() {
        Explanation ex = Explanation.of(blackberry(),
                Flow.builder().host("gb.srp.blackberry.com").port(443).build(), 10);
        assertThat(ex.classification().trafficClass()).isEqualTo("BIS");
        assertThat(ex.nearMisses()).extracting(t -> t.rule().id()).containsExactly("srp");
    }

    @Test
    void ruleThatMatchedOnlyOnPortIsNotANearMiss() {
        Explanation ex = Explanation.of(blackberry(),
                Flow.builder().host("example.org").port(3101).build(), 10);
        assertThat(ex.classification()).isEqualTo(Classification.OTHER);
        assertThat(ex.nearMisses()).isEmpty();
    }

    @Test
    void laterRulesThatAlsoMatchAreListed() {
        Explanation ex = Explanation.of(blackberry(),
                Flow.builder().host("gb.srp.blackberry.com").port(3101).build(), 10);
        assertThat(ex.alsoMatched()).extracting(t -> t.rule().id()).containsExactly("bis");
    }

    @Test
    void nearMissesBeyondTheLimitAreCounted() {
        Explanation ex = Explanation.of(blackberry(),
                Flow.builder().host("gb.srp.blackberry.com").ip("68.171.224.9").port(80).build(), 1);
        assertThat(ex.nearMisses()).hasSize(1);
        assertThat(ex.moreNearMisses()).isEqualTo(1);
    }

    @Test
    void hostCheckSaysWhenItMatchedThroughTheSni() {
        Explanation ex = Explanation.of(blackberry(),
                Flow.builder().host("fronted.example.org").sni("gb.srp.blackberry.com").port(3101).build(), 10);
        assertThat(ex.winner().checks().get(0).value()).isEqualTo("sni gb.srp.blackberry.com");
    }
}
