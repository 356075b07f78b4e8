package org.opgate.report.run;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The traffic classes of a run in the order every view shows them: by name, OTHER last. */
final class Classes {

    private static final String OTHER = "OTHER";

    private Classes() {
    }

    static List<String> of(RunRecord run) {
        TreeSet<String> names = new TreeSet<>(Comparator.comparing((String c) -> c.equals(OTHER)).thenComparing(c -> c));
        run.rows().forEach(r -> names.add(r.trafficClass()));
        return new ArrayList<>(names);
    }

    /** Each class's outcomes over the whole run, in class order. */
    static Map<String, Outcomes> totals(RunRecord run) {
        Map<String, Outcomes> totals = new LinkedHashMap<>();
        of(run).forEach(c -> totals.put(c, Outcomes.NONE));
        run.rows().forEach(r -> totals.merge(r.trafficClass(), Outcomes.of(r), Outcomes::plus));
        return totals;
    }
}
