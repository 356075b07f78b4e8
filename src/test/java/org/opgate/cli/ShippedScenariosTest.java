package org.opgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.opgate.report.run.IntervalRow;
import org.opgate.report.run.RunRecord;
import org.opgate.scenario.Scenario;
import org.opgate.scenario.ScenarioReader;

/**
 * The shipped precedents and the teaching scenario run to their end through a real gateway
 * (free ports, simnet, admin), each squeezed into about 12 s of real time (plus up to 3 s of slow motion per event) with fewer BES servers,
 * and show what their story says. The clock stands at each event until its revision is in force,
 * so no decision after an event is made with the config before it, however busy the machine: the
 * whole run is asserted. The Pakistan scenarios have their own test (ScenarioRunTest).
 */
class ShippedScenariosTest {

    private static final Path CONFIG = Path.of("config");

    private static RunRecord run(String name, Map<String, Integer> subscribers) throws Exception {
        Scenario scenario = ScenarioReader.read(ScenarioReader.resolve(name, CONFIG), CONFIG);
        double rate = Duration.between(scenario.start(), scenario.end()).toSeconds() / 12.0;
        try (ScenarioRun run = ScenarioRun.start(CONFIG, scenario, new ScenarioRun.Options(rate, 11, subscribers, true, null))) {
            return run.await(Duration.ofMinutes(2));
        }
    }

    private static long sum(RunRecord r, String cls, Predicate<IntervalRow> when, ToLongFunction<IntervalRow> what) {
        return r.rows().stream().filter(row -> row.trafficClass().equals(cls)).filter(when).mapToLong(what).sum();
    }

    private static long stopped(IntervalRow row) {
        return row.refused() + row.cut();
    }

    private static Predicate<IntervalRow> within(String from, String to) {
        Instant a = Instant.parse(from);
        Instant b = Instant.parse(to);
        return row -> !row.start().isBefore(a) && !row.end().isAfter(b);
    }

    private static Predicate<IntervalRow> all() {
        return row -> true;
    }

    @Test
    void uae2010NotifiesEveryoneAndNeverRefusesOrCuts() throws Exception {
        RunRecord r = run("uae-2010", Map.of("BES", 200));

        assertThat(r.settings()).doesNotContainKey("stopped at");
        for (String cls : new String[] {"BES", "BBM", "BIS"}) {
            assertThat(sum(r, cls, all(), IntervalRow::completed)).as(cls).isPositive();
            assertThat(sum(r, cls, all(), ShippedScenariosTest::stopped)).as(cls + " %s", r.refusedBy()).isZero();
        }
        assertThat(r.events()).extracting(e -> e.name()).containsExactly("announcement", "withdrawal");
    }

    @Test
    void saudi2010StopsBbmOnTheDayOfTheSuspensionOnlyAndLeavesBisAlone() throws Exception {
        RunRecord r = run("saudi-2010", Map.of("BES", 100, "BBM", 35_000, "BIS", 35_000));

        // Riyadh is UTC+03:00: 6 Aug 00:00 local is 5 Aug 21:00Z, the extension 6 Aug 21:00Z.
        assertThat(sum(r, "BBM", within("2010-08-05T21:00:00Z", "2010-08-06T21:00:00Z"), ShippedScenariosTest::stopped))
                .as("BBM stopped on 6 Aug").isPositive();
        assertThat(sum(r, "BBM", within("2010-07-25T00:00:00Z", "2010-08-05T21:00:00Z"), ShippedScenariosTest::stopped))
                .as("BBM stopped before 6 Aug").isZero();
        assertThat(sum(r, "BBM", within("2010-08-09T21:00:00Z", "2010-08-21T00:00:00Z"), IntervalRow::completed))
                .as("BBM after the reprieve").isPositive();
        assertThat(sum(r, "BIS", all(), ShippedScenariosTest::stopped)).as("BIS").isZero();
    }

    @Test
    void india2010NeverRefusesOrCutsAnyoneBecauseEachDeadlineIsReplacedBeforeItBites() throws Exception {
        RunRecord r = run("india-2010", Map.of("BES", 200));

        assertThat(r.settings()).doesNotContainKey("stopped at");
        for (String cls : new String[] {"BES", "BBM", "BIS"}) {
            assertThat(sum(r, cls, all(), IntervalRow::completed)).as(cls).isPositive();
            assertThat(sum(r, cls, all(), ShippedScenariosTest::stopped)).as(cls + " %s", r.refusedBy()).isZero();
        }
        assertThat(r.events()).extracting(e -> e.name()).containsExactly("deadline of 31 Aug", "extension to 31 Oct",
                "extension to 31 Dec", "BES deadline of 31 Jan", "deadline lapses");
    }

    @Test
    void aPortOnlyRuleOn3101RefusesUnrelatedTrafficOnThatPortFromTheDeadline() throws Exception {
        RunRecord r = run("port-3101-overblocking", Map.of("BES", 100, "OTHER", 200, "BBM", 2000));
        Predicate<IntervalRow> before = within("2015-11-20T00:00:00Z", "2015-11-30T19:00:00Z");
        Predicate<IntervalRow> after = within("2015-12-01T19:00:00Z", "2015-12-09T00:00:00Z");

        assertThat(sum(r, "OTHER", before, IntervalRow::completed)).as("log shippers before").isPositive();
        assertThat(sum(r, "OTHER", before, ShippedScenariosTest::stopped)).as("log shippers before").isZero();
        assertThat(sum(r, "OTHER", after, IntervalRow::refused)).as("log shippers after").isPositive();
        assertThat(sum(r, "OTHER", after, IntervalRow::completed)).as("log shippers after").isZero();
        assertThat(sum(r, "BES", after, IntervalRow::refused)).as("BES after").isPositive();
        assertThat(sum(r, "BBM", all(), ShippedScenariosTest::stopped)).as("BBM on 443").isZero();
    }
}
