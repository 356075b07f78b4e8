package org.opgate.report.run;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's sessions per week, class and outcome (all operators together). Weeks start on Monday
 * at 00:00 in the run's zone; an interval row counts in the week its start falls in.
 */
final class Weeks {

    /**
     * One week.
     *
     * @param monday  its first day, in the run's zone
     * @param byClass outcomes per class, every class of the run present, in class order
     */
    record Week(LocalDate monday, Map<String, Outcomes> byClass) {
    }

    private Weeks() {
    }

    static List<Week> of(RunRecord run) {
        List<String> classes = Classes.of(run);
        TreeMap<LocalDate, Map<String, Outcomes>> weeks = new TreeMap<>();
        for (IntervalRow r : run.rows()) {
            LocalDate monday = mondayOf(r, run);
            Map<String, Outcomes> byClass = weeks.computeIfAbsent(monday, m -> {
                Map<String, Outcomes> empty = new LinkedHashMap<>();
                classes.forEach(c -> empty.put(c, Outcomes.NONE));
                return empty;
            });
            byClass.merge(r.trafficClass(), Outcomes.of(r), Outcomes::plus);
        }
        // The maps were filled in class order above; they stay in it.
        return weeks.entrySet().stream()
                .map(e -> new Week(e.getKey(), Collections.unmodifiableMap(e.getValue()))).toList();
    }

    private static LocalDate mondayOf(IntervalRow r, RunRecord run) {
        return r.start().atZone(run.zone()).toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }
}
