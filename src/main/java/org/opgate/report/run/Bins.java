package org.opgate.report.run;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's rows summed over operators into at most {@link #MAX} time bins per class, for the chart:
 * a six-month run of hourly rows becomes one bin a day, so a line stays readable. Bin widths are
 * round (the interval, or hours and days that divide into it) and bins shorter than a day start at
 * local midnight, so a deadline at 00:00 falls on a bin edge.
 *
 * @param origin  start of bin 0 (at or before the run's start)
 * @param width   length of one bin
 * @param byClass per class, in class order, the outcomes of each bin
 */
record Bins(Instant origin, Duration width, Map<String, Outcomes[]> byClass) {

    static final int MAX = 240;

    private static final List<Duration> ROUND = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2),
            Duration.ofHours(3), Duration.ofHours(6), Duration.ofHours(12), Duration.ofDays(1), Duration.ofDays(2),
            Duration.ofDays(7));

    static Bins of(RunRecord run) {
        Duration width = width(run);
        Instant origin = origin(run, width);
        int count = (int) Math.max(1, ceilDiv(Duration.between(origin, run.end()), width));
        Map<String, Outcomes[]> byClass = new LinkedHashMap<>();
        for (String c : Classes.of(run)) {
            Outcomes[] bins = new Outcomes[count];
            Arrays.fill(bins, Outcomes.NONE);
            byClass.put(c, bins);
        }
        for (IntervalRow r : run.rows()) {
            long i = Duration.between(origin, r.start()).toMillis() / width.toMillis();
            int bin = (int) Math.min(count - 1, Math.max(0, i));
            Outcomes[] bins = byClass.get(r.trafficClass());
            bins[bin] = bins[bin].plus(Outcomes.of(r));
        }
        return new Bins(origin, width, byClass);
    }

    int count() {
        return byClass.values().stream().findFirst().map(b -> b.length).orElse(0);
    }

    Instant start(int bin) {
        return origin.plus(width.multipliedBy(bin));
    }

    private static Duration width(RunRecord run) {
        Duration interval = run.interval().isZero() || run.interval().isNegative() ? Duration.ofHours(1) : run.interval();
        Duration span = Duration.between(run.start(), run.end());
        if (ceilDiv(span, interval) <= MAX) {
            return interval;
        }
        for (Duration d : ROUND) {
            if (d.compareTo(interval) > 0 && d.toMillis() % interval.toMillis() == 0 && ceilDiv(span, d) <= MAX) {
                return d;
            }
        }
        return interval.multipliedBy(ceilDiv(span, interval.multipliedBy(MAX)));
    }

    private static Instant origin(RunRecord run, Duration width) {
        Duration day = Duration.ofDays(1);
        if (width.compareTo(day) > 0 || day.toMillis() % width.toMillis() != 0) {
            return run.start();
        }
        Instant midnight = run.start().atZone(run.zone()).toLocalDate().atStartOfDay(run.zone()).toInstant();
        long skip = Duration.between(midnight, run.start()).toMillis() / width.toMillis();
        return midnight.plus(width.multipliedBy(skip));
    }

    private static long ceilDiv(Duration a, Duration b) {
        return Math.max(0, Math.floorDiv(a.toMillis() + b.toMillis() - 1, b.toMillis()));
    }
}
