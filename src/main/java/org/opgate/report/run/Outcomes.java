package org.opgate.report.run;

import java.util.List;
import java.util.Locale;

/**
 * Session counts by outcome, summed over any set of interval rows.
 *
 * @param completed sessions that finished their exchange
 * @param refused   sessions the gateway refused
 * @param cut       sessions whose tunnel the gateway cut
 * @param errors    sessions that failed otherwise
 */
record Outcomes(long completed, long refused, long cut, long errors) {

    static final Outcomes NONE = new Outcomes(0, 0, 0, 0);

    /** The outcome names in the order every table and chart shows them. */
    static final List<String> NAMES = List.of("completed", "refused", "cut", "errors");

    static Outcomes of(IntervalRow r) {
        return new Outcomes(r.completed(), r.refused(), r.cut(), r.errors());
    }

    Outcomes plus(Outcomes o) {
        return new Outcomes(completed + o.completed, refused + o.refused, cut + o.cut, errors + o.errors);
    }

    long total() {
        return completed + refused + cut + errors;
    }

    /** The count of outcome {@code i}, in the order of {@link #NAMES}. */
    long get(int i) {
        return switch (i) {
            case 0 -> completed;
            case 1 -> refused;
            case 2 -> cut;
            case 3 -> errors;
            default -> throw new IndexOutOfBoundsException("outcome " + i + " (expected: 0..3)");
        };
    }

    /** A count with thousands separators, as people read it: 12,345. */
    static String format(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
