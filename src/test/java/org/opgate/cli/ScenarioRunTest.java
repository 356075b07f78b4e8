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
 * The shipped Pakistan scenarios run end to end through a real gateway (listeners on free ports,
 * simnet, the admin API), with fewer subscribers than the demo's defaults: about 1,500 sessions in
 * 20 s of real time, which a busy machine sustains.
 */
class ScenarioRunTest {

    private static final Path CONFIG = Path.of("config");
    private static final Instant DEADLINE = Instant.parse("2015-11-30T19:00:00Z");
    private static final Map<String, Integer> FEW = Map.of("BES", 40, "BBM", 1500, "BIS", 1500);

    private static RunRecord run(String name) throws Exception {
        Scenario scenario = ScenarioReader.read(ScenarioReader.resolve(name, CONFIG), CONFIG);
        double rate = Duration.between(scenario.start(), scenario.end()).toSeconds() / 20.0;
        try (ScenarioRun run = ScenarioRun.start(CONFIG, scenario, new ScenarioRun.Options(rate, 7, FEW, true, null))) {
            return run.await(Duration.ofMinutes(3));
        }
    }

    private static long sum(RunRecord r, String cls, Predicate<IntervalRow> when, ToLongFunction<IntervalRow> what) {
        return r.rows().stream().filter(row -> row.trafficClass().equals(cls)).filter(when).mapToLong(what).sum();
    }

    private static Predicate<IntervalRow> before(Instant t) {
        return row -> !row.end().isAfter(t);
    }

    private static Predicate<IntervalRow> from(Instant t) {
        return row -> !row.start().isBefore(t);
    }

    @Test
    void theOrderAsIssuedCutsAndRefusesBesFromTheDeadlineWhileBbmAndBisContinue() throws Exception {
        RunRecord r = run("pakistan-2015");

        assertThat(r.settings()).doesNotContainKey("stopped at");
        assertThat(sum(r, "BES", before(DEADLINE), IntervalRow::completed)).isPositive();
        assertThat(sum(r, "BES", before(DEADLINE), IntervalRow::refused)).isZero();
        Predicate<IntervalRow> deadlineDay = row -> !row.start().isBefore(DEADLINE.minus(Duration.ofDays(1)))
                && !row.end().isAfter(DEADLINE.plus(Duration.ofDays(1)));
        assertThat(sum(r, "BES", deadlineDay, IntervalRow::cut)).isPositive();
        assertThat(sum(r, "BES", from(DEADLINE), IntervalRow::refused)).isPositive();
        assertThat(sum(r, "BES", from(DEADLINE.plus(Duration.ofDays(7))), IntervalRow::completed)).isZero();
        for (String cls : new String[] {"BBM", "BIS"}) {
            assertThat(sum(r, cls, from(DEADLINE), IntervalRow::completed)).as(cls).isPositive();
            assertThat(sum(r, cls, row -> true, row -> row.refused() + row.cut())).as(cls).isZero();
        }
        assertThat(sum(r, "OTHER", from(DEADLINE), IntervalRow::completed)).as("BES users on a VPN").isPositive();
        assertThat(r.refusedBy().get("BES")).containsKey(
                "BES access closed from 1 Dec 2015 00:00 PKT by order of the Pakistan Telecommunication Authority (notice of 24 Jul 2015)");
        assertThat(r.events()).extracting(e -> e.name()).containsExactly("notice", "deadline");
    }

    @Test
    void theOrderAsItHappenedNeverCutsOrRefusesBes() throws Exception {
        RunRecord r = run("pakistan-2015-as-happened");

        assertThat(sum(r, "BES", row -> true, IntervalRow::cut)).isZero();
        assertThat(sum(r, "BES", row -> true, IntervalRow::refused)).isZero();
        assertThat(sum(r, "BES", from(DEADLINE), IntervalRow::completed)).isPositive();
    }

    @Test
    void besServersWithoutBackOffAreTurnedAwayByTheRelayOnceEachAndStop() throws Exception {
        Scenario scenario = ScenarioReader.read(Path.of("src/test/resources/scenarios/srp-no-backoff.yaml"), CONFIG);
        RunRecord r;
        try (ScenarioRun run = ScenarioRun.start(CONFIG, scenario, new ScenarioRun.Options(scenario.rate(), 7, Map.of(), true, null))) {
            r = run.await(Duration.ofMinutes(2));
        }

        // 20 servers: each logs in 5 times within a minute, the 6th login disables its SRP id.
        assertThat(r.refusedBy().get("BES")).containsOnlyKeys(
                "the BlackBerry relay disabled the SRP id: more than 5 connections within a minute");
        assertThat(sum(r, "BES", row -> true, IntervalRow::refused)).isEqualTo(20);
        assertThat(sum(r, "BES", row -> true, IntervalRow::completed)).isGreaterThanOrEqualTo(20 * 5);
    }
}
