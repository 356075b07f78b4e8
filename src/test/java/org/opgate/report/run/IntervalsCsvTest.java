package org.opgate.report.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

final class IntervalsCsvTest {

    /** A small RFC 4180 reader: enough to check what the writer quoted. */
    private static List<List<String>> parse(String csv) {
        List<List<String>> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && csv.charAt(i + 1) == '\n') {
                fields.add(field.toString());
                field.setLength(0);
                records.add(fields);
                fields = new ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        return records;
    }

    @Test
    void hasAHeaderAndOneRecordPerRowWithEightColumns() {
        RunRecord run = RunRecords.pakistanAsOrdered();
        List<List<String>> records = parse(IntervalsCsv.render(run));

        assertThat(records.get(0)).containsExactly("start", "end", "class", "operator", "completed", "refused", "cut", "errors");
        assertThat(records).hasSize(run.rows().size() + 1).allSatisfy(r -> assertThat(r).hasSize(8));
    }

    @Test
    void eachRecordIsItsRowWithInstantsInTheRunZone() {
        RunRecord run = RunRecords.pakistanAsOrdered();
        List<List<String>> records = parse(IntervalsCsv.render(run));
        int deadlineBes = indexOf(run, RunRecords.DEADLINE, "BES", "mobilink");

        assertThat(records.get(deadlineBes + 1))
                .containsExactly("2015-12-01T00:00:00+05:00", "2015-12-01T06:00:00+05:00", "BES", "mobilink", "0",
                        String.valueOf(run.rows().get(deadlineBes).refused()), "18", "0");
    }

    @Test
    void columnTotalsEqualTheRecords() {
        RunRecord run = RunRecords.pakistanAsOrdered();
        List<List<String>> records = parse(IntervalsCsv.render(run));
        long[] sums = new long[4];
        for (List<String> r : records.subList(1, records.size())) {
            for (int i = 0; i < 4; i++) {
                sums[i] += Long.parseLong(r.get(4 + i));
            }
        }
        Outcomes expected = RunRecords.sum(run);

        assertThat(sums).containsExactly(expected.completed(), expected.refused(), expected.cut(), expected.errors());
        assertThat(expected.cut()).isEqualTo(36);
    }

    @Test
    void quotesFieldsWithCommasAndQuotesAndEndsLinesWithCrLf() {
        String csv = IntervalsCsv.render(RunRecords.hostile());

        assertThat(csv).contains(",\"op,\"\"quoted\"\"\",").endsWith("\r\n");
        assertThat(csv.split("\r\n", -1)).hasSize(3);
        assertThat(parse(csv).get(1).get(3)).isEqualTo("op,\"quoted\"");
    }

    @Test
    void anEmptyRunIsTheHeaderAlone() {
        assertThat(IntervalsCsv.render(RunRecords.empty())).isEqualTo("start,end,class,operator,completed,refused,cut,errors\r\n");
    }

    private static int indexOf(RunRecord run, java.time.Instant start, String trafficClass, String operator) {
        for (int i = 0; i < run.rows().size(); i++) {
            IntervalRow r = run.rows().get(i);
            if (r.start().equals(start) && r.trafficClass().equals(trafficClass) && r.operator().equals(operator)) {
                return i;
            }
        }
        throw new AssertionError("no row " + Arrays.asList(start, trafficClass, operator));
    }
}
