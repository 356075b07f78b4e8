package org.opgate.report.run;

import static org.opgate.report.run.Markup.escape;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.opgate.scenario.ScenarioEvent;

/**
 * chart.svg: completed, refused and cut sessions per class over simulated time, one panel per
 * class (small multiples, each with its own count scale) on one time axis with month ticks in the
 * run's zone, and the scenario's events as labelled vertical lines through every panel.
 * Hand-written SVG 1.1; outcomes differ in dash pattern as well as colour, so the chart survives
 * greyscale printing and colour blindness.
 */
final class RunChart {

    static final int WIDTH = 960;
    private static final int LEFT = 92;
    private static final int RIGHT = 28;
    private static final int PLOT_W = WIDTH - LEFT - RIGHT;
    private static final int PANEL_TITLE = 30;
    private static final int PLOT_H = 120;
    private static final int PANEL_GAP = 18;
    private static final int LABEL_ROW = 16;
    private static final double CHAR_W = 6.4;
    /**
     * A panel whose tallest bin is more than this many times its usual level (the 95th percentile
     * of its non-zero bins) gets a scale cut at twice that level, so a deadline's burst of cuts
     * and refusals does not flatten the weeks of traffic before it to the baseline.
     */
    private static final int CLIP_RATIO = 5;
    private static final int RUN_GAP = 7;

    /** How each outcome is drawn, in the order of {@link Outcomes#NAMES}. */
    private record Style(String colour, String dash, double stroke) {
    }

    private static final Style[] STYLES = {
        new Style("#1b7837", "", 2.2),       // completed: green, solid
        new Style("#c51b7d", "7 4", 2.2),    // refused: magenta, dashed
        new Style("#e66101", "2 3", 2.6),    // cut: orange, dotted, with a dot on each bin that has cuts
        new Style("#555555", "1 4", 1.4),    // errors: grey, sparse dots
    };

    private final RunRecord run;
    private final Bins bins;
    private final TimeAxis axis;
    private final boolean showErrors;
    private final Map<String, Outcomes> totals;

    private RunChart(RunRecord run) {
        this.run = run;
        this.bins = Bins.of(run);
        this.axis = new TimeAxis(run.start(), run.end(), run.zone(), LEFT, PLOT_W);
        this.showErrors = run.rows().stream().anyMatch(r -> r.errors() > 0);
        this.totals = Classes.totals(run);
    }

    /** The whole SVG document, with its XML declaration. */
    static String render(RunRecord run) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + element(run);
    }

    /** The {@code <svg>} element alone, to put inline in an HTML page. */
    static String element(RunRecord run) {
        return new RunChart(run).svg();
    }

    private String svg() {
        List<ScenarioEvent> events = run.events().stream().filter(e -> axis.contains(e.at())).toList();
        List<Integer> labelRows = EventLabels.rows(events.stream()
                .map(e -> EventLabels.span(axis.x(e.at()), label(e).length() * CHAR_W + 8, WIDTH - 4)).toList());
        int rows = labelRows.stream().mapToInt(r -> r + 1).max().orElse(0);
        int panelsTop = 92 + rows * LABEL_ROW + 10;
        Map<String, Outcomes[]> byClass = bins.byClass();
        int panels = Math.max(1, byClass.size());
        int panelsBottom = panelsTop + panels * (PANEL_TITLE + PLOT_H) + (panels - 1) * PANEL_GAP;
        int height = panelsBottom + 58;

        StringBuilder sb = new StringBuilder(32_768);
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").append(WIDTH)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" role=\"img\" aria-labelledby=\"chart-title chart-desc\"")
                .append(" font-family=\"'DejaVu Sans', Verdana, Arial, sans-serif\" font-size=\"12\" fill=\"#222\">\n");
        sb.append("<title id=\"chart-title\">").append(escape(run.title())).append("</title>\n");
        sb.append("<desc id=\"chart-desc\">").append(escape(description())).append("</desc>\n");
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        header(sb);
        if (byClass.isEmpty()) {
            sb.append("<text class=\"empty\" x=\"").append(LEFT + PLOT_W / 2).append("\" y=\"")
                    .append(panelsTop + (PANEL_TITLE + PLOT_H) / 2)
                    .append("\" text-anchor=\"middle\" font-size=\"15\" fill=\"#666\">no sessions recorded</text>\n");
        }
        int top = panelsTop;
        for (Map.Entry<String, Outcomes[]> e : byClass.entrySet()) {
            panel(sb, e.getKey(), e.getValue(), top);
            top += PANEL_TITLE + PLOT_H + PANEL_GAP;
        }
        timeLabels(sb, panelsBottom);
        for (int i = 0; i < events.size(); i++) {
            eventMarker(sb, events.get(i), 92 + labelRows.get(i) * LABEL_ROW, panelsTop, byClass.size());
        }
        return sb.append("</svg>\n").toString();
    }

    private String description() {
        StringBuilder d = new StringBuilder("Sessions per " + Times.span(bins.width()) + " from "
                + Times.human(run.start(), run.zone()) + " to " + Times.human(run.end(), run.zone())
                + ", one panel per traffic class, all operators together.");
        totals.forEach((c, o) -> d.append(' ').append(c).append(": ").append(Outcomes.format(o.completed()))
                .append(" completed, ").append(Outcomes.format(o.refused())).append(" refused, ")
                .append(Outcomes.format(o.cut())).append(" cut, ").append(Outcomes.format(o.errors())).append(" errors."));
        for (ScenarioEvent e : run.events()) {
            d.append(" Event ").append(e.name()).append(" on ").append(Times.human(e.at(), run.zone())).append('.');
        }
        return d.toString();
    }

    private void header(StringBuilder sb) {
        sb.append("<text x=\"").append(LEFT).append("\" y=\"30\" font-size=\"20\" font-weight=\"bold\">")
                .append(escape(run.title())).append("</text>\n");
        sb.append("<text x=\"").append(LEFT).append("\" y=\"52\" font-size=\"13\" fill=\"#444\">")
                .append(escape("Sessions per " + Times.span(bins.width()) + " by outcome, all operators; dates in "
                        + run.zone().getId() + "; each panel has its own scale"))
                .append("</text>\n");
        // Legend: a line sample in each outcome's style, then the event marker.
        sb.append("<g class=\"legend\" font-size=\"12\">\n");
        double x = LEFT;
        int shown = showErrors ? 4 : 3;
        for (int i = 0; i < shown; i++) {
            Style s = STYLES[i];
            sb.append("<line x1=\"").append(fmt(x)).append("\" y1=\"72\" x2=\"").append(fmt(x + 28))
                    .append("\" y2=\"72\" stroke=\"").append(s.colour()).append("\" stroke-width=\"").append(fmt(s.stroke() + 0.6))
                    .append('"').append(dash(s)).append("/>\n");
            sb.append("<text x=\"").append(fmt(x + 34)).append("\" y=\"76\">").append(Outcomes.NAMES.get(i)).append("</text>\n");
            x += 34 + Outcomes.NAMES.get(i).length() * CHAR_W + 26;
        }
        sb.append("<line x1=\"").append(fmt(x + 14)).append("\" y1=\"64\" x2=\"").append(fmt(x + 14))
                .append("\" y2=\"80\" stroke=\"#333\" stroke-width=\"1.3\" stroke-dasharray=\"4 3\"/>\n");
        sb.append("<text x=\"").append(fmt(x + 22)).append("\" y=\"76\">event</text>\n</g>\n");
    }

    private void panel(StringBuilder sb, String trafficClass, Outcomes[] series, int top) {
        int plotTop = top + PANEL_TITLE;
        int bottom = plotTop + PLOT_H;
        long max = 0;
        List<Long> levels = new ArrayList<>();
        for (Outcomes o : series) {
            for (int i = 0; i < 4; i++) {
                max = Math.max(max, o.get(i));
                if (o.get(i) > 0) {
                    levels.add(o.get(i));
                }
            }
        }
        Collections.sort(levels);
        long usual = levels.isEmpty() ? 0 : levels.get((int) Math.floor(0.95 * (levels.size() - 1)));
        boolean clipped = usual > 0 && max > CLIP_RATIO * usual;
        long[] yTicks = CountAxis.ticks(clipped ? 2 * usual : max);
        double yTop = yTicks[yTicks.length - 1];
        Outcomes total = totals.get(trafficClass);

        sb.append("<g class=\"panel\" data-class=\"").append(escape(trafficClass)).append("\">\n");
        sb.append("<title>").append(escape(trafficClass + ": " + Outcomes.format(total.completed()) + " completed, "
                + Outcomes.format(total.refused()) + " refused, " + Outcomes.format(total.cut()) + " cut, "
                + Outcomes.format(total.errors()) + " errors")).append("</title>\n");
        sb.append("<text x=\"").append(LEFT).append("\" y=\"").append(top + 19).append("\" font-size=\"15\" font-weight=\"bold\">")
                .append(escape(trafficClass)).append("</text>\n");
        sb.append("<text x=\"").append(WIDTH - RIGHT).append("\" y=\"").append(top + 19)
                .append("\" text-anchor=\"end\" font-size=\"12\" fill=\"#444\">")
                .append(escape("total: " + Outcomes.format(total.completed()) + " completed · "
                        + Outcomes.format(total.refused()) + " refused · " + Outcomes.format(total.cut()) + " cut"
                        + (showErrors ? " · " + Outcomes.format(total.errors()) + " errors" : "")))
                .append("</text>\n");
        if (clipped) {
            sb.append("<text class=\"clipped-note\" x=\"").append(LEFT + 12 + trafficClass.length() * 10).append("\" y=\"")
                    .append(top + 19).append("\" font-size=\"11\" fill=\"#666\">")
                    .append(escape("scale cut at " + CountAxis.compact((long) yTop) + ": taller bins are marked ▲ with their count"))
                    .append("</text>\n");
        }
        sb.append("<rect x=\"").append(LEFT).append("\" y=\"").append(plotTop).append("\" width=\"").append(PLOT_W)
                .append("\" height=\"").append(PLOT_H).append("\" fill=\"#f7f7f7\" stroke=\"#bbb\"/>\n");
        for (TimeAxis.Tick t : axis.ticks()) {
            double x = axis.x(t.at());
            sb.append("<line x1=\"").append(fmt(x)).append("\" y1=\"").append(plotTop).append("\" x2=\"").append(fmt(x))
                    .append("\" y2=\"").append(bottom).append("\" stroke=\"#ddd\"/>\n");
        }
        for (long v : yTicks) {
            double y = bottom - v / yTop * PLOT_H;
            sb.append("<line x1=\"").append(LEFT - 4).append("\" y1=\"").append(fmt(y)).append("\" x2=\"").append(LEFT + PLOT_W)
                    .append("\" y2=\"").append(fmt(y)).append("\" stroke=\"").append(v == 0 ? "#888" : "#e2e2e2").append("\"/>\n");
            sb.append("<text x=\"").append(LEFT - 8).append("\" y=\"").append(fmt(y + 4)).append("\" text-anchor=\"end\">")
                    .append(CountAxis.compact(v)).append("</text>\n");
        }
        sb.append("<text transform=\"translate(").append(LEFT - 58).append(',').append(plotTop + PLOT_H / 2)
                .append(") rotate(-90)\" text-anchor=\"middle\" font-size=\"11\" fill=\"#444\">")
                .append(escape("sessions / " + Times.span(bins.width()))).append("</text>\n");
        // Completed gets a light fill, so the volume that got through reads at a glance.
        sb.append("<path d=\"").append(stepPath(series, 0, bottom, yTop, true)).append("\" fill=\"")
                .append(STYLES[0].colour()).append("\" fill-opacity=\"0.13\" stroke=\"none\"/>\n");
        for (int i = showErrors ? 3 : 2; i >= 0; i--) {
            Style s = STYLES[i];
            sb.append("<path class=\"series\" data-outcome=\"").append(Outcomes.NAMES.get(i)).append("\" d=\"")
                    .append(stepPath(series, i, bottom, yTop, false)).append("\" fill=\"none\" stroke=\"").append(s.colour())
                    .append("\" stroke-width=\"").append(s.stroke()).append("\" stroke-linejoin=\"round\"").append(dash(s))
                    .append("/>\n");
        }
        cutDots(sb, series, bottom, yTop);
        if (clipped) {
            clippedMarks(sb, series, plotTop, yTop);
        }
        sb.append("</g>\n");
    }

    /**
     * Above each bin taller than the cut scale, a mark at the top of the plot with its counts as a
     * tooltip; and for each run of such bins (gaps of up to {@value #RUN_GAP} bins), when there are few runs,
     * the counts over the run as labels, one per line: the cuts first, since a cut bin's dot sits
     * on the top edge.
     */
    private void clippedMarks(StringBuilder sb, Outcomes[] series, int plotTop, double yTop) {
        List<int[]> runs = new ArrayList<>();
        for (int b = 0; b < series.length; b++) {
            if (tallest(series[b]) <= yTop) {
                continue;
            }
            double x = (axis.x(bins.start(b)) + axis.x(bins.start(b + 1))) / 2;
            sb.append("<path class=\"clipped\" d=\"M").append(fmt(x - 5)).append(',').append(plotTop + 7).append(" L")
                    .append(fmt(x + 5)).append(',').append(plotTop + 7).append(" L").append(fmt(x)).append(',').append(plotTop - 1)
                    .append(" Z\" fill=\"#333\"><title>").append(escape(String.join(", ", counts(series, b, b, yTop)) + ", "
                            + Times.human(bins.start(b), run.zone()))).append("</title></path>\n");
            if (!runs.isEmpty() && b - runs.get(runs.size() - 1)[1] <= RUN_GAP) {
                runs.get(runs.size() - 1)[1] = b;
            } else {
                runs.add(new int[] {b, b});
            }
        }
        if (runs.size() > 6) {
            return;
        }
        double lastRight = Double.NEGATIVE_INFINITY; // labels of runs close together stack instead of overlapping
        int line = 0;
        for (int[] r : runs) {
            double x = (axis.x(bins.start(r[0])) + axis.x(bins.start(r[0] + 1))) / 2;
            List<String> counts = counts(series, r[0], r[1], yTop);
            line = x + 8 < lastRight ? line : 0;
            String unit = Times.span(bins.width());
            String over = r[1] > r[0] ? " over " + (r[1] - r[0] + 1) + " " + (unit.contains(" ") ? "intervals" : unit + "s") : "";
            for (int i = 0; i < counts.size() && line < PLOT_H / 14; i++, line++) {
                String text = counts.get(i) + (i == counts.size() - 1 ? over : "");
                lastRight = Math.max(lastRight, countLabel(sb, "clipped-count", x, plotTop + 12 + 14 * line, text,
                        counts.get(i).endsWith(" cut") ? "#a04000" : "#333"));
            }
        }
    }

    /** Bins {@code from..to}: the cuts, and each other outcome that goes over the cut scale in one of them. */
    private static List<String> counts(Outcomes[] series, int from, int to, double yTop) {
        List<String> out = new ArrayList<>();
        for (int i : new int[] {2, 1, 0, 3}) {
            long sum = 0;
            boolean over = false;
            for (int b = from; b <= to; b++) {
                sum += series[b].get(i);
                over |= series[b].get(i) > yTop;
            }
            if (over || (i == 2 && sum > 0)) {
                out.add(Outcomes.format(sum) + " " + Outcomes.NAMES.get(i));
            }
        }
        return out;
    }

    /**
     * A bold count beside the point at {@code x}: to its right, or to its left where it would run
     * past the plot. Returns the x its text reaches to the right ({@code x} when on the left).
     */
    private static double countLabel(StringBuilder sb, String cssClass, double x, double y, String text, String colour) {
        boolean flip = x + 10 + text.length() * CHAR_W > WIDTH - RIGHT;
        sb.append("<text").append(cssClass == null ? "" : " class=\"" + cssClass + "\"").append(" x=\"")
                .append(fmt(flip ? x - 8 : x + 8)).append("\" y=\"").append(fmt(y))
                .append("\" font-size=\"12\" font-weight=\"bold\" fill=\"").append(colour).append('"')
                .append(flip ? " text-anchor=\"end\"" : "").append('>').append(escape(text)).append("</text>\n");
        return flip ? x : x + 8 + text.length() * CHAR_W;
    }

    private static long tallest(Outcomes o) {
        long t = 0;
        for (int i = 0; i < 4; i++) {
            t = Math.max(t, o.get(i));
        }
        return t;
    }

    /**
     * A step line through the bins of one outcome, or the area under it down to the baseline. Only
     * completed is drawn where it is zero: a refused or cut line lying on the baseline all along
     * would look like refusals everywhere, so those lines appear only around bins that have some.
     */
    private String stepPath(Outcomes[] series, int outcome, int bottom, double yTop, boolean area) {
        StringBuilder d = new StringBuilder();
        if (area && series.length > 0) {
            d.append('M').append(fmt(axis.x(bins.start(0)))).append(',').append(bottom);
        }
        boolean pen = area;
        for (int b = 0; b < series.length; b++) {
            boolean near = series[b].get(outcome) > 0 || (b > 0 && series[b - 1].get(outcome) > 0)
                    || (b + 1 < series.length && series[b + 1].get(outcome) > 0);
            if (!(area || outcome == 0 || near)) {
                pen = false;
                continue;
            }
            double y = bottom - Math.min(series[b].get(outcome), yTop) / yTop * PLOT_H;
            d.append(d.length() == 0 ? "M" : pen ? " L" : " M").append(fmt(axis.x(bins.start(b)))).append(',').append(fmt(y))
                    .append(" L").append(fmt(axis.x(bins.start(b + 1)))).append(',').append(fmt(y));
            pen = true;
        }
        if (area && series.length > 0) {
            d.append(" L").append(fmt(axis.x(bins.start(series.length)))).append(',').append(bottom).append(" Z");
        }
        return d.toString();
    }

    /**
     * Cuts come in bursts (every open tunnel at a deadline), so each bin with cuts gets a dot that
     * shows even when the line is thin, and, when there are few such bins, a label with the count.
     */
    private void cutDots(StringBuilder sb, Outcomes[] series, int bottom, double yTop) {
        long bursts = Arrays.stream(series).filter(o -> o.cut() > 0).count();
        for (int b = 0; b < series.length; b++) {
            if (series[b].cut() > 0) {
                double x = (axis.x(bins.start(b)) + axis.x(bins.start(b + 1))) / 2;
                double y = bottom - Math.min(series[b].cut(), yTop) / yTop * PLOT_H;
                String count = Outcomes.format(series[b].cut()) + " cut";
                sb.append("<circle cx=\"").append(fmt(x)).append("\" cy=\"").append(fmt(y)).append("\" r=\"4.5\" fill=\"")
                        .append(STYLES[2].colour()).append("\" stroke=\"#fff\" stroke-width=\"1.5\"><title>").append(count)
                        .append(", ").append(escape(Times.human(bins.start(b), run.zone()))).append("</title></circle>\n");
                if (bursts <= 6 && tallest(series[b]) <= yTop) { // a clipped bin's marks carry its label
                    countLabel(sb, null, x, Math.max(y - 6, bottom - PLOT_H + 12), count, "#a04000");
                }
            }
        }
    }

    private void timeLabels(StringBuilder sb, int panelsBottom) {
        for (TimeAxis.Tick t : axis.ticks()) {
            double x = axis.x(t.at());
            sb.append("<line x1=\"").append(fmt(x)).append("\" y1=\"").append(panelsBottom).append("\" x2=\"").append(fmt(x))
                    .append("\" y2=\"").append(panelsBottom + 5).append("\" stroke=\"#666\"/>\n");
            // Centred under its tick, unless that would run off the chart's edge.
            double half = t.label().length() * CHAR_W / 2;
            String anchor = x + half > WIDTH - 4 ? "end" : x - half < 4 ? "start" : "middle";
            sb.append("<text x=\"").append(fmt(x)).append("\" y=\"").append(panelsBottom + 19)
                    .append("\" text-anchor=\"").append(anchor).append("\">").append(escape(t.label())).append("</text>\n");
        }
        sb.append("<text x=\"").append(LEFT + PLOT_W / 2).append("\" y=\"").append(panelsBottom + 44)
                .append("\" text-anchor=\"middle\" font-size=\"13\" fill=\"#444\">")
                .append(escape("simulated time (" + run.zone().getId() + ")")).append("</text>\n");
    }

    /**
     * An event: its label in the band above the panels, and one dashed path from the label down
     * through every plot; the path skips the panels' title lines so it never strikes their text.
     */
    private void eventMarker(StringBuilder sb, ScenarioEvent e, int labelY, int panelsTop, int panels) {
        double x = axis.x(e.at());
        String label = label(e);
        boolean flip = flips(x, label);
        StringBuilder d = new StringBuilder("M").append(fmt(x)).append(',').append(labelY - 11).append(" V").append(panelsTop);
        for (int p = 0; p < panels; p++) {
            int plotTop = panelsTop + p * (PANEL_TITLE + PLOT_H + PANEL_GAP) + PANEL_TITLE;
            d.append(" M").append(fmt(x)).append(',').append(plotTop).append(" V").append(plotTop + PLOT_H);
        }
        sb.append("<g class=\"event\" data-event=\"").append(escape(e.name())).append("\">\n");
        sb.append("<title>").append(escape(e.name() + ", " + Times.human(e.at(), run.zone())
                + (e.description().isEmpty() ? "" : ": " + e.description()))).append("</title>\n");
        sb.append("<path d=\"").append(d).append("\" fill=\"none\" stroke=\"#333\" stroke-width=\"1.3\" stroke-dasharray=\"4 3\"/>\n");
        sb.append("<text x=\"").append(fmt(flip ? x - 4 : x + 4)).append("\" y=\"").append(labelY)
                .append("\" font-size=\"11.5\" font-weight=\"bold\"").append(flip ? " text-anchor=\"end\"" : "").append('>')
                .append(escape(label)).append("</text>\n</g>\n");
    }

    /** A label that would run off the right edge goes to the left of its line. */
    private static boolean flips(double x, String label) {
        return EventLabels.flips(x, label.length() * CHAR_W + 8, WIDTH - 4);
    }

    private String label(ScenarioEvent e) {
        return e.name() + " (" + Times.day(e.at(), run.zone()) + ")";
    }

    private static String dash(Style s) {
        return s.dash().isEmpty() ? "" : " stroke-dasharray=\"" + s.dash() + '"';
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
