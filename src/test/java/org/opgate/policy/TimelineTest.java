package org.opgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opgate.config.ConfigException;
import org.opgate.config.ConfigLoader;
import org.opgate.config.OpgateConfig;
import org.opgate.source.SourceLocation;

final class TimelineTest {

    private static final List<String> ALL_CLASSES = List.of("BES", "BBM", "BIS", "OTHER");
    private static final List<String> PK_OPERATORS = List.of("mobilink", "ufone", "telenor", "zong", "warid");
    /** 24 Jul 2015 00:00 PKT. */
    private static final Instant NOTICE = Instant.parse("2015-07-23T19:00:00Z");
    /** 1 Dec 2015 00:00 PKT. */
    private static final Instant DEADLINE = Instant.parse("2015-11-30T19:00:00Z");
    private static final ZoneId KARACHI = ZoneId.of("Asia/Karachi");

    private static OpgateConfig bundled;

    @BeforeAll
    static void loadBundledConfig() throws ConfigException {
        bundled = ConfigLoader.load(Path.of("config"));
    }

    private static List<Timeline.Row> bundledRows(Instant from, Instant to) {
        List<String> ops = bundled.operators().stream().map(Operator::id).toList();
        return Timeline.of(bundled.policyEngine(), ALL_CLASSES, ops, from, to);
    }

    private static Phase phase(String name, String localFrom, Action action) {
        LocalDateTime from = LocalDateTime.parse(localFrom);
        return new Phase(name, from, from.atZone(KARACHI).toInstant(), action, action == Action.THROTTLE ? 2000 : 0,
                false, name, SourceLocation.NONE);
    }

    private static Policy policy(String id, Set<String> operators, Phase... phases) {
        return new Policy(id, "BES", operators, KARACHI, null, null, Policy.Mode.ENFORCE, Exemptions.NONE,
                List.of(phases), SourceLocation.NONE);
    }

    @Test
    void theBundledConfigGivesExactlyTheTwoPtaRowsForAllFiveOperators() {
        List<Timeline.Row> rows = bundledRows(null, null);

        assertThat(rows).hasSize(2);
        Timeline.Row notice = rows.get(0);
        assertThat(notice.at()).isEqualTo(NOTICE);
        assertThat(notice.trafficClass()).isEqualTo("BES");
        assertThat(notice.operators()).containsExactlyElementsOf(PK_OPERATORS);
        assertThat(notice.before()).isEqualTo(Verdict.ALLOW);
        assertThat(notice.after()).isEqualTo(Verdict.NOTIFY);
        assertThat(notice.phases()).extracting(p -> p.policy().id(), p -> p.phase().name())
                .containsExactly(tuple("pta-2015-bes", "notice"));
        Timeline.Row deadline = rows.get(1);
        assertThat(deadline.at()).isEqualTo(DEADLINE);
        assertThat(deadline.trafficClass()).isEqualTo("BES");
        assertThat(deadline.operators()).containsExactlyElementsOf(PK_OPERATORS);
        assertThat(deadline.before()).isEqualTo(Verdict.NOTIFY);
        assertThat(deadline.after()).isEqualTo(Verdict.BLOCK);
        assertThat(deadline.phases()).extracting(p -> p.policy().id(), p -> p.phase().name())
                .containsExactly(tuple("pta-2015-bes", "deadline"));
        assertThat(deadline.phases().get(0).phase().cutExisting()).isTrue();
    }

    @ParameterizedTest(name = "({0}, {1}] holds {2}")
    @CsvSource({
        ",                              ,                               2015-07-23T19:00:00Z 2015-11-30T19:00:00Z",
        "2015-07-23T19:00:00Z,          ,                               2015-11-30T19:00:00Z",
        "2015-07-23T18:59:59.999999999Z, ,                              2015-07-23T19:00:00Z 2015-11-30T19:00:00Z",
        ",                              2015-11-30T19:00:00Z,           2015-07-23T19:00:00Z 2015-11-30T19:00:00Z",
        ",                              2015-11-30T18:59:59.999999999Z, 2015-07-23T19:00:00Z",
        "2015-07-23T19:00:00Z,          2015-11-30T19:00:00Z,           2015-11-30T19:00:00Z",
        "2015-07-23T19:00:00Z,          2015-11-30T18:59:59Z,           ''",
        "2015-11-30T19:00:00Z,          ,                               ''",
    })
    void theWindowExcludesItsStartAndIncludesItsEnd(Instant from, Instant to, String expected) {
        List<Instant> instants = expected.isEmpty() ? List.of()
                : Arrays.stream(expected.split(" ")).map(Instant::parse).toList();

        assertThat(bundledRows(from, to)).extracting(Timeline.Row::at).containsExactlyElementsOf(instants);
    }

    @Test
    void operatorsWithDifferentTransitionsGetSeparateRows() {
        Policy everyone = policy("everyone", Set.of(), phase("notice", "2015-07-24T00:00", Action.NOTIFY));
        Policy mobilink = policy("mobilink-block", Set.of("mobilink", "telenor"),
                phase("deadline", "2015-12-01T00:00", Action.BLOCK));
        Policy ufone = policy("ufone-throttle", Set.of("ufone"), phase("deadline", "2015-12-01T00:00", Action.THROTTLE));
        PolicyEngine engine = new PolicyEngine(List.of(everyone, mobilink, ufone));

        List<Timeline.Row> rows = Timeline.of(engine, List.of("BES"), List.of("mobilink", "ufone", "telenor", "zong"),
                null, null);

        assertThat(rows).extracting(Timeline.Row::at, Timeline.Row::operators, Timeline.Row::before, Timeline.Row::after)
                .containsExactly(
                        tuple(NOTICE, List.of("mobilink", "ufone", "telenor", "zong"),
                                Verdict.ALLOW, Verdict.NOTIFY),
                        tuple(DEADLINE, List.of("mobilink", "telenor"),
                                Verdict.NOTIFY, Verdict.BLOCK),
                        tuple(DEADLINE, List.of("ufone"),
                                Verdict.NOTIFY, Verdict.THROTTLE));
    }

    @Test
    void anOperatorNoPhaseStartsForAtABoundaryGetsNoRowThere() {
        Policy everyone = policy("everyone", Set.of(), phase("notice", "2015-07-24T00:00", Action.NOTIFY));
        Policy ufone = policy("ufone-block", Set.of("ufone"), phase("deadline", "2015-12-01T00:00", Action.BLOCK));
        PolicyEngine engine = new PolicyEngine(List.of(everyone, ufone));

        List<Timeline.Row> rows = Timeline.of(engine, List.of("BES"), List.of("mobilink", "ufone"), NOTICE, null);

        assertThat(rows).singleElement().satisfies(r -> assertThat(r.operators()).containsExactly("ufone"));
    }

    @Test
    void aConfigWithoutOperatorsGivesRowsWithAnEmptyOperatorList() {
        Policy everyone = policy("everyone", Set.of(), phase("notice", "2015-07-24T00:00", Action.NOTIFY),
                phase("deadline", "2015-12-01T00:00", Action.BLOCK));

        List<Timeline.Row> rows = Timeline.of(new PolicyEngine(List.of(everyone)), List.of("BES"), List.of(), null, null);

        assertThat(rows).extracting(Timeline.Row::at, Timeline.Row::operators, Timeline.Row::after)
                .containsExactly(tuple(NOTICE, List.of(), Verdict.NOTIFY),
                        tuple(DEADLINE, List.of(), Verdict.BLOCK));
    }
}
