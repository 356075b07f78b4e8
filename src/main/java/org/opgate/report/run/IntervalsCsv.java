package org.opgate.report.run;

import java.util.List;

/**
 * intervals.csv: one row per simulated interval, class and operator, with a header line. RFC 4180:
 * CRLF line ends, and fields holding a comma, quote or line break are quoted with quotes doubled.
 * Instants are ISO-8601 with the run zone's offset.
 */
final class IntervalsCsv {

    static final List<String> COLUMNS = List.of("start", "end", "class", "operator", "completed", "refused", "cut", "errors");

    private IntervalsCsv() {
    }

    static String render(RunRecord run) {
        StringBuilder sb = new StringBuilder(64 + run.rows().size() * 80);
        sb.append(String.join(",", COLUMNS)).append("\r\n");
        for (IntervalRow r : run.rows()) {
            sb.append(Times.iso(r.start(), run.zone())).append(',')
                    .append(Times.iso(r.end(), run.zone())).append(',')
                    .append(field(r.trafficClass())).append(',')
                    .append(field(r.operator())).append(',')
                    .append(r.completed()).append(',')
                    .append(r.refused()).append(',')
                    .append(r.cut()).append(',')
                    .append(r.errors()).append("\r\n");
        }
        return sb.toString();
    }

    static String field(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
