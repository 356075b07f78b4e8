package org.opgate.report.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class WeeklyTableTest {

    private static long parse(String count) {
        return Long.parseLong(count.replace(",", ""));
    }

    @Test
    void weeklyCountsSumToTheRowsPerClass() {
        RunRecord run = RunRecords.pakistanAsOrdered();
        List<String> lines = RunReport.weeklyTable(run).lines().toList();
        Map<String, long[]> sums = new HashMap<>();
        Map<String, long[]> totals = new HashMap<>();
        boolean inTotals = false;
        for (String line : lines.subList(2, lines.size())) {
            String[] f = line.trim().split("\\s+");
            inTotals |= f[0].equals("total");
            // A line is "[week] class completed refused cut errors": the week only on a week's first line.
            String[] cells = f.length == 6 ? Arrays.copyOfRange(f, 1, 6) : f;
            long[] into = (inTotals ? totals : sums).computeIfAbsent(cells[0], c -> new long[4]);
            for (int i = 0; i < 4; i++) {
                into[i] += parse(cells[1 + i]);
            }
        }
        for (String c : List.of("BBM", "BES", "BIS", "OTHER")) {
            long[] expected = new long[4];
            run.rows().stream().filter(r -> r.trafficClass().equals(c)).forEach(r -> {
                expected[0] += r.completed();
                expected[1] += r.refused();
                expected[2] += r.cut();
                expected[3] += r.errors();
            });
            assertThat(sums.get(c)).as(c).containsExactly(expected);
            assertThat(totals.get(c)).as(c + " total").containsExactly(expected);
        }
    }

    @Test
    void weeksStartOnMondayInTheRunZone() {
        RunRecord run = RunRecords.pakistanAsOrdered();

        List<LocalDate> mondays = Weeks.of(run).stream().map(Weeks.Week::monday).toList();
        assertThat(mondays).allMatch(d -> d.getDayOfWeek() == DayOfWeek.MONDAY);
        // The run starts on Friday 24 Jul 2015 and ends on Monday 11 Jan 2016 (exclusive).
        assertThat(mondays.get(0)).isEqualTo(LocalDate.of(2015, 7, 20));
        assertThat(mondays.get(mondays.size() - 1)).isEqualTo(LocalDate.of(2016, 1, 4));
    }

    @Test
    void anIntervalCountsInTheLocalWeekNotTheUtcOne() {
        // Monday 30 Nov 2015 00:00 PKT is still Sunday 29 Nov in UTC.
        IntervalRow row = new IntervalRow(RunRecords.at("2015-11-30T00:00+05:00"), RunRecords.at("2015-11-30T06:00+05:00"),
                "BES", "ufone", 1, 0, 0, 0);
        RunRecord run = new RunRecord("tz", "tz", "", RunRecords.KARACHI, row.start(), row.end(), RunRecords.SIX_HOURS,
                List.of(), List.of(row), Map.of(), List.of(), Map.of());

        assertThat(Weeks.of(run)).extracting(Weeks.Week::monday).containsExactly(LocalDate.of(2015, 11, 30));
    }

    @Test
    void alignsCountsUnderTheirHeaders() {
        List<String> lines = RunReport.weeklyTable(RunRecords.pakistanAsOrdered()).lines().toList();
        int end = lines.get(1).indexOf("completed") + "completed".length();

        assertThat(lines.subList(2, lines.size())).allSatisfy(l -> assertThat(l.charAt(end - 1)).isBetween('0', '9'));
        assertThat(lines.get(0)).isEqualTo("sessions per week (weeks from Monday 00:00 Asia/Karachi), all operators");
    }

    @Test
    void anEmptyRunSaysSo() {
        assertThat(RunReport.weeklyTable(RunRecords.empty())).endsWith("no sessions recorded\n");
    }

    @Test
    void aSingleIntervalIsOneWeekAndItsTotal() {
        assertThat(RunReport.weeklyTable(RunRecords.singleInterval())).isEqualTo("""
                sessions per week (weeks from Monday 00:00 Asia/Karachi), all operators
                week of     class  completed  refused  cut  errors
                2015-11-30  BES            0       17    3       1
                total       BES            0       17    3       1
                """);
    }
}
