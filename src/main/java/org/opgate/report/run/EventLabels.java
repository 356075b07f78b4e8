package org.opgate.report.run;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the chart puts its event labels: in rows above the panels, each label next to its event's
 * line. A label goes in the first row where it overlaps no other label, no line from a label
 * above crosses it, and its own line crosses no label below; when no row is clear of lines, the
 * first row clear of labels will do.
 */
final class EventLabels {

    /**
     * One label's horizontal extent.
     *
     * @param line the x of its event's line
     * @param from where the label starts
     * @param to   where it ends
     */
    record Span(double line, double from, double to) {
    }

    private EventLabels() {
    }

    /** Whether a label of {@code width} at line {@code x} goes left of the line, so as not to pass {@code right}. */
    static boolean flips(double x, double width, double right) {
        return x + width > right;
    }

    static Span span(double x, double width, double right) {
        return flips(x, width, right) ? new Span(x, x - width, x) : new Span(x, x, x + width);
    }

    /** The row of each label, in the order given (time order, so earlier events get the upper rows). */
    static List<Integer> rows(List<Span> spans) {
        List<Span> placed = new ArrayList<>();
        List<Integer> rows = new ArrayList<>();
        for (Span s : spans) {
            int row = firstRow(placed, rows, s, true);
            rows.add(row >= 0 ? row : firstRow(placed, rows, s, false));
            placed.add(s);
        }
        return rows;
    }

    private static int firstRow(List<Span> placed, List<Integer> rows, Span s, boolean mindLines) {
        for (int row = 0; row <= placed.size(); row++) {
            boolean clear = true;
            for (int i = 0; i < placed.size() && clear; i++) {
                Span p = placed.get(i);
                int r = rows.get(i);
                boolean labelsOverlap = r == row && p.from() < s.to() && s.from() < p.to();
                boolean linesCross = mindLines && (r < row && s.from() <= p.line() && p.line() <= s.to()
                        || r > row && p.from() <= s.line() && s.line() <= p.to());
                clear = !labelsOverlap && !linesCross;
            }
            if (clear) {
                return row;
            }
        }
        return -1;
    }
}
