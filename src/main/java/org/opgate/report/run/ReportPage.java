package org.opgate.report.run;

import static org.opgate.report.run.Markup.escape;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.opgate.scenario.ScenarioEvent;

/**
 * report.html: one self-contained page (inline CSS, the chart's SVG inline, no script, nothing
 * fetched) with the chart, the totals, the timeline with its sources, the per-week table, the
 * refusal reasons, the run's settings and the scenario's sources. Every text from the record is
 * escaped, and only http(s) sources become links.
 */
final class ReportPage {

    private static final String CSS = """
            body { font-family: 'DejaVu Sans', Verdana, Arial, sans-serif; color: #222; background: #fff;
                   margin: 0 auto; padding: 1.5rem 2rem 3rem; max-width: 1200px; line-height: 1.45; }
            h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
            h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 2px solid #ddd; padding-bottom: .2rem; }
            p.meta { color: #555; margin-top: 0; }
            figure { margin: 1rem 0; }
            figure svg { max-width: 100%; height: auto; border: 1px solid #e4e4e4; }
            figcaption { color: #555; font-size: .9rem; }
            table { border-collapse: collapse; margin: .5rem 0; font-size: .92rem; }
            th, td { padding: .25rem .7rem; text-align: left; vertical-align: top; border-bottom: 1px solid #e6e6e6; }
            th { background: #f2f2f2; }
            thead th { vertical-align: bottom; }
            td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
            div.wide { overflow-x: auto; }
            table.weekly { font-size: .84rem; }
            table.weekly th, table.weekly td { padding: .2rem .45rem; }
            table.weekly thead th { font-size: .78rem; }
            th.group { text-align: center; border-left: 2px solid #bbb; font-size: .95rem !important; }
            td.first, th.first { border-left: 2px solid #bbb; }
            table.weekly tbody tr:nth-child(even) { background: #fafafa; }
            td.refused { background: #fbe3ef; }
            td.cut { background: #fde4cf; font-weight: bold; }
            tr.total td { font-weight: bold; border-top: 2px solid #bbb; }
            td.when { white-space: nowrap; }
            code { background: #f4f4f4; padding: 0 .2rem; }
            a { color: #1a5fb4; }
            footer { margin-top: 2.5rem; color: #666; font-size: .85rem; }
            """;

    private ReportPage() {
    }

    static String render(RunRecord run) {
        StringBuilder sb = new StringBuilder(65_536);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(escape(run.title())).append(" · opgate run report</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        sb.append("<h1>").append(escape(run.title())).append("</h1>\n");
        sb.append("<p class=\"meta\">Simulated run of scenario <code>").append(escape(run.scenarioId())).append("</code> from ")
                .append(escape(Times.human(run.start(), run.zone()))).append(" to ").append(escape(Times.human(run.end(), run.zone())))
                .append(", dates in ").append(escape(run.zone().getId())).append(".</p>\n");
        if (!run.description().isBlank()) {
            sb.append("<p>").append(escape(run.description())).append("</p>\n");
        }
        sb.append("<figure>\n").append(RunChart.element(run))
                .append("<figcaption>Completed, refused and cut sessions per class over simulated time; dashed vertical lines "
                        + "are the scenario's events.</figcaption>\n</figure>\n");
        totals(sb, run);
        timeline(sb, run);
        weekly(sb, run);
        refusals(sb, run);
        settings(sb, run);
        sources(sb, run);
        sb.append("<footer>Made by opgate. The same data: <a href=\"intervals.csv\">intervals.csv</a>, "
                + "<a href=\"intervals.json\">intervals.json</a>, <a href=\"chart.svg\">chart.svg</a>.</footer>\n");
        return sb.append("</body>\n</html>\n").toString();
    }

    private static void totals(StringBuilder sb, RunRecord run) {
        sb.append("<h2 id=\"totals\">Sessions by class</h2>\n");
        if (run.rows().isEmpty()) {
            sb.append("<p>No sessions were recorded.</p>\n");
            return;
        }
        sb.append("<table class=\"totals\">\n<tr><th>class</th>").append(outcomeHeaders()).append("</tr>\n");
        Classes.totals(run).forEach((c, o) -> sb.append("<tr>").append(cell(c)).append(counts(o)).append("</tr>\n"));
        sb.append("</table>\n");
    }

    private static void timeline(StringBuilder sb, RunRecord run) {
        sb.append("<h2 id=\"timeline\">Timeline</h2>\n");
        if (run.events().isEmpty()) {
            sb.append("<p>The scenario has no events.</p>\n");
            return;
        }
        sb.append("<table class=\"timeline\">\n<tr><th>when (").append(escape(run.zone().getId()))
                .append(")</th><th>event</th><th>what happened</th><th>sources</th></tr>\n");
        for (ScenarioEvent e : run.events()) {
            sb.append("<tr><td class=\"when\">").append(escape(Times.human(e.at(), run.zone()))).append("</td>")
                    .append("<td><strong>").append(escape(e.name())).append("</strong></td>").append(cell(e.description()))
                    .append("<td>").append(e.sources().stream().map(Markup::link).collect(Collectors.joining(", ")))
                    .append("</td></tr>\n");
        }
        sb.append("</table>\n");
    }

    /** One line per week, a group of outcome columns per class: a class's change reads down its columns. */
    private static void weekly(StringBuilder sb, RunRecord run) {
        sb.append("<h2 id=\"weeks\">Sessions per week</h2>\n<p>Weeks start on Monday 00:00 in ").append(escape(run.zone().getId()))
                .append("; all operators together.</p>\n");
        if (run.rows().isEmpty()) {
            sb.append("<p>No sessions were recorded.</p>\n");
            return;
        }
        Map<String, Outcomes> totals = Classes.totals(run);
        sb.append("<div class=\"wide\"><table class=\"weekly\">\n<thead><tr><th rowspan=\"2\">week of</th>");
        totals.keySet().forEach(c -> sb.append("<th class=\"group\" colspan=\"4\">").append(escape(c)).append("</th>"));
        sb.append("</tr>\n<tr>");
        totals.keySet().forEach(c -> sb.append(outcomeHeaders()));
        sb.append("</tr></thead>\n<tbody>\n");
        for (Weeks.Week w : Weeks.of(run)) {
            sb.append("<tr>").append(cell(w.monday().toString()));
            w.byClass().values().forEach(o -> sb.append(counts(o)));
            sb.append("</tr>\n");
        }
        sb.append("<tr class=\"total\">").append(cell("total"));
        totals.values().forEach(o -> sb.append(counts(o)));
        sb.append("</tr>\n</tbody>\n</table></div>\n");
    }

    private static void refusals(StringBuilder sb, RunRecord run) {
        sb.append("<h2 id=\"refusals\">Why sessions were refused</h2>\n");
        if (run.refusedBy().values().stream().allMatch(Map::isEmpty)) {
            sb.append("<p>No session was refused.</p>\n");
            return;
        }
        sb.append("<table class=\"refusals\">\n<tr><th>class</th><th>reason the subscriber saw</th><th class=\"n\">sessions</th></tr>\n");
        new TreeMap<>(run.refusedBy()).forEach((c, reasons) -> new TreeMap<>(reasons).forEach((reason, n) ->
                sb.append("<tr>").append(cell(c)).append(cell(reason)).append("<td class=\"n\">").append(Outcomes.format(n))
                        .append("</td></tr>\n")));
        sb.append("</table>\n");
    }

    private static void settings(StringBuilder sb, RunRecord run) {
        Map<String, String> all = new TreeMap<>(run.settings());
        sb.append("<h2 id=\"settings\">Run settings</h2>\n<table class=\"settings\">\n");
        row(sb, "scenario", run.scenarioId());
        row(sb, "zone", run.zone().getId());
        row(sb, "start", Times.iso(run.start(), run.zone()));
        row(sb, "end", Times.iso(run.end(), run.zone()));
        row(sb, "interval", Times.span(run.interval()) + " (" + run.interval() + ")");
        all.forEach((k, v) -> row(sb, k, v));
        sb.append("</table>\n");
    }

    private static void sources(StringBuilder sb, RunRecord run) {
        sb.append("<h2 id=\"sources\">Sources</h2>\n");
        if (run.sources().isEmpty()) {
            sb.append("<p>The scenario lists no sources.</p>\n");
            return;
        }
        sb.append("<ul class=\"sources\">\n");
        run.sources().forEach(s -> sb.append("<li>").append(Markup.fullLink(s)).append("</li>\n"));
        sb.append("</ul>\n");
    }

    private static void row(StringBuilder sb, String key, String value) {
        sb.append("<tr><th>").append(escape(key)).append("</th>").append(cell(value)).append("</tr>\n");
    }

    private static String outcomeHeaders() {
        StringBuilder h = new StringBuilder();
        for (int i = 0; i < Outcomes.NAMES.size(); i++) {
            h.append(i == 0 ? "<th class=\"n first\">" : "<th class=\"n\">").append(Outcomes.NAMES.get(i)).append("</th>");
        }
        return h.toString();
    }

    /** The four counts; refused and cut cells are tinted when not zero, so the ban stands out in the table. */
    private static String counts(Outcomes o) {
        StringBuilder c = new StringBuilder();
        for (int i = 0; i < Outcomes.NAMES.size(); i++) {
            long n = o.get(i);
            boolean mark = n > 0 && (i == 1 || i == 2);
            c.append("<td class=\"n").append(i == 0 ? " first" : "").append(mark ? " " + Outcomes.NAMES.get(i) : "").append("\">")
                    .append(Outcomes.format(n))
                    .append("</td>");
        }
        return c.toString();
    }

    private static String cell(String text) {
        return "<td>" + escape(text) + "</td>";
    }
}
