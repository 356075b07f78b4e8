package org.opgate.report.run;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the report writes instants and durations: always in the run's zone, with its offset. */
final class Times {

    private static final DateTimeFormatter HUMAN = DateTimeFormatter.ofPattern("EEE d MMM yyyy HH:mm zzz", Locale.ENGLISH);
    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);

    private Times() {
    }

    /** ISO-8601 with the zone's offset, like 2015-12-01T00:00:00+05:00: exact, and readable where the order was given. */
    static String iso(Instant at, ZoneId zone) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(at.atZone(zone));
    }

    static Instant parseIso(String s) {
        return OffsetDateTime.parse(s).toInstant();
    }

    /** For people: Tue 1 Dec 2015 00:00 PKT. */
    static String human(Instant at, ZoneId zone) {
        return HUMAN.format(at.atZone(zone));
    }

    /** For chart labels: 1 Dec. */
    static String day(Instant at, ZoneId zone) {
        return SHORT.format(at.atZone(zone));
    }

    /** A duration as people say it: "day", "6 hours", "15 minutes", "week". */
    static String span(Duration d) {
        if (d.equals(Duration.ofDays(7))) {
            return "week";
        }
        if (d.equals(Duration.ofDays(1))) {
            return "day";
        }
        if (d.toDays() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
            return d.toDays() + " days";
        }
        if (d.equals(Duration.ofHours(1))) {
            return "hour";
        }
        if (d.toHours() > 0 && d.equals(Duration.ofHours(d.toHours()))) {
            return d.toHours() + " hours";
        }
        if (d.toMinutes() > 0 && d.equals(Duration.ofMinutes(d.toMinutes()))) {
            return d.toMinutes() == 1 ? "minute" : d.toMinutes() + " minutes";
        }
        return d.toString();
    }
}
