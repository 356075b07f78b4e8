package org.opgate.config;

import java.time.ZonedDateTime;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/**
 * Instants as users write them on the command line and in test suites: ISO-8601 local date-time
 * with an offset, a bracketed zone, or both ({@code 2015-12-01T00:00+05:00},
 * {@code 2015-11-30T19:00Z}, {@code 2015-12-01T00:00[Asia/Karachi]}).
 */
public final class InstantText {

    /** The accepted forms, for {@code (expected: …)} parts of messages. */
    public static final String EXPECTED = "ISO-8601 with an offset or zone, like 2015-12-01T00:00+05:00,"
            + " 2015-11-30T19:00Z or 2015-12-01T00:00[Asia/Karachi]";

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

    private InstantText() {
    }

    /**
     * Parses {@code text}, keeping the zone or offset it was written in.
     *
     * @throws DateTimeParseException if it is not one of the accepted forms, or has neither an
     *                                offset nor a zone
     */
    public static ZonedDateTime parse(String text) {
        return ZonedDateTime.parse(text, FORMAT);
    }
}
