package org.opgate.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opgate.flow.Flow;
import org.opgate.flow.IpPrefix;
import org.opgate.source.SourceLocation;

/** First-match examples that both classifiers must get right; the differential test covers the rest. */
final class ClassifierTest {

    /**
     * <pre>
     * 0 BES  host *.srp.blackberry.com  ports 3101
     * 1 BBM  host *.blackberry.com
     * 2 BES  cidr 68.171.224.0/19
     * 3 BIS  ports 3101
     * 4 BBM  sni bbm.example
     * </pre>
     */
    private static final RuleSet RULES = rules();

    private static RuleSet rules() {
        SourceLocation loc = SourceLocation.NONE;
        RuleSet.Builder b = RuleSet.builder().trafficClass("BES", null, loc).trafficClass("BBM", null, loc)
                .trafficClass("BIS", null, loc);
        b.rule("BES", null, HostPattern.parse("*.srp.blackberry.com"), null, null, PortSet.single(3101), loc);
        b.rule("BBM", null, HostPattern.parse("*.blackberry.com"), null, null, null, loc);
        b.rule("BES", null, null, null, IpPrefix.parse("68.171.224.0/19"), null, loc);
        b.rule("BIS", null, null, null, null, PortSet.single(3101), loc);
        b.rule("BBM", null, null, HostPattern.parse("bbm.example"), null, null, loc);
        return b.build();
    }

    static Stream<Arguments> implementations() {
        return Stream.of(
                Arguments.of("linear", (Function<RuleSet, Classifier>) LinearClassifier::new),
                Arguments.of("indexed", (Function<RuleSet, Classifier>) IndexedClassifier::new));
    }

    static Stream<Arguments> examples() {
        List<Object[]> rows = List.of(
                new Object[] {Flow.builder().host("gb.srp.blackberry.com").port(3101).build(), "BES-1"},
                new Object[] {Flow.builder().host("gb.srp.blackberry.com").port(443).build(), "BBM-1"},
                new Object[] {Flow.builder().host("68.171.230.1").port(3101).build(), "BES-2"},
                new Object[] {Flow.builder().host("other.example").ip("68.171.224.0").port(80).build(), "BES-2"},
                new Object[] {Flow.builder().host("other.example").port(3101).build(), "BIS-1"},
                new Object[] {Flow.builder().host("other.example").sni("www.blackberry.com").port(443).build(),
                    "BBM-1"},
                new Object[] {Flow.builder().host("bbm.example").port(443).build(), null},
                new Object[] {Flow.builder().host("cdn.example").sni("bbm.example").port(443).build(), "BBM-2"},
                new Object[] {Flow.builder().host("other.example").ip("68.171.192.1").port(443).build(), null});
        return implementations().flatMap(impl -> rows.stream()
                .map(row -> Arguments.of(impl.get()[0], impl.get()[1], row[0], row[1])));
    }

    @ParameterizedTest(name = "{0}: {2} -> {3}")
    @MethodSource("examples")
    void firstMatchingRuleInFileOrderWins(String name, Function<RuleSet, Classifier> factory, Flow flow,
                                          String ruleId) {
        Classification c = factory.apply(RULES).classify(flow);

        if (ruleId == null) {
            assertThat(c).isSameAs(Classification.OTHER);
        } else {
            assertThat(c.rule().id()).isEqualTo(ruleId);
            assertThat(c.trafficClass()).isEqualTo(c.rule().trafficClass());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void emptyRuleSetClassifiesEverythingAsOther(String name, Function<RuleSet, Classifier> factory) {
        Flow flow = Flow.builder().host("gb.srp.blackberry.com").ip("68.171.224.1").port(3101).build();

        Classification c = factory.apply(RuleSet.EMPTY).classify(flow);

        assertThat(c.isOther()).isTrue();
        assertThat(c.trafficClass()).isEqualTo("OTHER");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void returnsOneSharedInstancePerRule(String name, Function<RuleSet, Classifier> factory) {
        Classifier classifier = factory.apply(RULES);

        Classification first = classifier.classify(Flow.builder().host("a.blackberry.com").port(443).build());
        Classification second = classifier.classify(Flow.builder().host("b.blackberry.com").port(80).build());

        assertThat(second).isSameAs(first);
    }

    /** Keys and names longer than the 32 characters an index record holds, and dots past 64 from the end. */
    static Stream<Arguments> longNames() {
        String suffix = "a-label-of-some-length-for-testing-only.example";
        String exact = "c".repeat(20) + "." + "d".repeat(50) + ".example";
        String deep = "e".repeat(60) + ".example";
        List<Object[]> rows = List.of(
                new Object[] {"www." + "b".repeat(30) + "." + suffix, "A-1"},
                new Object[] {exact, "B-1"},
                new Object[] {"f." + deep, "C-1"},
                new Object[] {"f." + "e".repeat(59) + "x.example", null},
                new Object[] {"x" + exact, null});
        return implementations().flatMap(impl -> rows.stream()
                .map(row -> Arguments.of(impl.get()[0], impl.get()[1], row[0], row[1])));
    }

    @ParameterizedTest(name = "{0}: {2} -> {3}")
    @MethodSource("longNames")
    void longNamesMatchLikeShortOnes(String name, Function<RuleSet, Classifier> factory, String host, String ruleId) {
        SourceLocation loc = SourceLocation.NONE;
        RuleSet.Builder b = RuleSet.builder().trafficClass("A", null, loc).trafficClass("B", null, loc)
                .trafficClass("C", null, loc);
        b.rule("A", null, HostPattern.parse("*.a-label-of-some-length-for-testing-only.example"), null, null, null, loc);
        b.rule("B", null, HostPattern.parse("c".repeat(20) + "." + "d".repeat(50) + ".example"), null, null, null, loc);
        b.rule("C", null, HostPattern.parse("*." + "e".repeat(60) + ".example"), null, null, null, loc);

        Classification c = factory.apply(b.build()).classify(Flow.builder().host(host).port(443).build());

        assertThat(c.isOther() ? null : c.rule().id()).isEqualTo(ruleId);
    }
}
