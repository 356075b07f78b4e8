package org.opgate.cli;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/** Parses instants given on the command line. */
final class Instants {

    /**
     * ISO local date-time, then an offset, a bracketed zone, or both. {@link DateTimeFormatter#ISO_DATE_TIME}
     * reads a bracketed zone only after an offset, so it refuses {@code 2015-12-01T00:00[Asia/Karachi]}.
     */
    private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffsetId().optionalEnd()
            .optionalStart()
            .appendLiteral('[').parseCaseSensitive().appendZoneRegionId().appendLiteral(']')
            .optionalEnd()
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT)
            .withChronology(IsoChronology.INSTANCE);

    private Instants() {
    }

    /**
     * ISO-8601 with an offset or a zone: {@code 2015-12-01T00:00+05:00},
     * {@code 2015-11-30T19:00:00Z}, {@code 2015-12-01T00:00[Asia/Karachi]}.
     *
     * @throws UsageException naming the option and the accepted forms
     */
    static Instant parse(String text, String option) {
        try {
            return ZonedDateTime.parse(text, FORMAT).toInstant();
        } catch (DateTimeParseException e) {
            throw new UsageException(option + " '" + text + "' is not an instant (expected: ISO-8601 with an offset"
                    + " or zone, like 2015-12-01T00:00+05:00, 2015-11-30T19:00Z or 2015-12-01T00:00[Asia/Karachi])");
        }
    }
}
