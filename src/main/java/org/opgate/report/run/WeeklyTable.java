package org.opgate.report.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The per-week table for the terminal: one line per week and class, counts right-aligned under
 * their outcome, then a total per class.
 *
 * <pre>
 * sessions per week (weeks from Monday 00:00 Asia/Karachi), all operators
 * week of     class  completed  refused  cut  errors
 * 2015-11-23  BBM       41,880        0    0       0
 *             BES        1,190        0    0       0
 * ...
 * total       BBM      862,011        0    0       0
 * </pre>
 */
final class WeeklyTable {

    private WeeklyTable() {
    }

    static String render(RunRecord run) {
        String heading = "sessions per week (weeks from Monday 00:00 " + run.zone().getId() + "), all operators\n";
        List<Weeks.Week> weeks = Weeks.of(run);
        if (weeks.isEmpty()) {
            return heading + "no sessions recorded\n";
        }
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"week of", "class", "completed", "refused", "cut", "errors"});
        for (Weeks.Week w : weeks) {
            addGroup(lines, w.monday().toString(), w.byClass());
        }
        addGroup(lines, "total", Classes.totals(run));
        return heading + align(lines);
    }

    /** One line per class; the group's label only on its first line, so weeks stand out. */
    private static void addGroup(List<String[]> lines, String label, Map<String, Outcomes> byClass) {
        boolean first = true;
        for (Map.Entry<String, Outcomes> e : byClass.entrySet()) {
            Outcomes o = e.getValue();
            lines.add(new String[] {first ? label : "", e.getKey(), Outcomes.format(o.completed()),
                Outcomes.format(o.refused()), Outcomes.format(o.cut()), Outcomes.format(o.errors())});
            first = false;
        }
    }

    /** The first two columns left-aligned, the counts right-aligned; two spaces between columns. */
    private static String align(List<String[]> lines) {
        int[] width = new int[lines.get(0).length];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                width[i] = Math.max(width[i], line[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] line : lines) {
            StringBuilder l = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                String pad = " ".repeat(width[i] - line[i].length());
                l.append(i == 0 ? "" : "  ").append(i < 2 ? line[i] + pad : pad + line[i]);
            }
            sb.append(l.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
