package org.opgate.report.run;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The chart's shared time axis: instants to x positions, and ticks at local month starts in the
 * run's zone (days or hours when the run is too short to show two months).
 */
final class TimeAxis {

    /** One tick: where, and its label. */
    record Tick(Instant at, String label) {
    }

    private final Instant start;
    private final long spanMillis;
    private final double left;
    private final double width;
    private final ZoneId zone;

    TimeAxis(Instant start, Instant end, ZoneId zone, double left, double width) {
        this.start = start;
        // A run of no length still gets an axis: one hour wide.
        this.spanMillis = end.isAfter(start) ? Duration.between(start, end).toMillis() : Duration.ofHours(1).toMillis();
        this.zone = zone;
        this.left = left;
        this.width = width;
    }

    double x(Instant at) {
        double f = (double) Duration.between(start, at).toMillis() / spanMillis;
        return left + Math.max(0, Math.min(1, f)) * width;
    }

    boolean contains(Instant at) {
        return !at.isBefore(start) && !at.isAfter(start.plusMillis(spanMillis));
    }

    List<Tick> ticks() {
        List<Tick> months = months();
        if (months.size() >= 2) {
            return months;
        }
        Duration span = Duration.ofMillis(spanMillis);
        return span.toDays() >= 2
                ? every(ChronoUnit.DAYS, Math.max(1, (span.toDays() + 9) / 10), "d MMM")
                : every(ChronoUnit.HOURS, Math.max(1, (span.toHours() + 7) / 8), "d MMM HH:mm");
    }

    private List<Tick> months() {
        List<Tick> ticks = new ArrayList<>();
        DateTimeFormatter month = DateTimeFormatter.ofPattern("MMM", Locale.ENGLISH);
        DateTimeFormatter monthYear = DateTimeFormatter.ofPattern("MMM yyyy", Locale.ENGLISH);
        LocalDate first = start.atZone(zone).toLocalDate().withDayOfMonth(1);
        for (LocalDate d = first; ; d = d.plusMonths(1)) {
            ZonedDateTime at = d.atStartOfDay(zone);
            if (!contains(at.toInstant())) {
                if (at.toInstant().isAfter(start)) {
                    break;
                }
                continue;
            }
            // The year on the first tick and on every January, so the axis never needs a legend for it.
            boolean withYear = ticks.isEmpty() || d.getMonth() == Month.JANUARY;
            ticks.add(new Tick(at.toInstant(), (withYear ? monthYear : month).format(at)));
        }
        return ticks;
    }

    /** Ticks every {@code step} units from the unit's start at or before the run's, at most about ten. */
    private List<Tick> every(ChronoUnit unit, long step, String pattern) {
        DateTimeFormatter f = DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH);
        List<Tick> ticks = new ArrayList<>();
        Instant end = start.plusMillis(spanMillis);
        for (ZonedDateTime t = start.atZone(zone).truncatedTo(unit); !t.toInstant().isAfter(end); t = t.plus(step, unit)) {
            if (contains(t.toInstant())) {
                ticks.add(new Tick(t.toInstant(), f.format(t)));
            }
        }
        return ticks;
    }
}
