package org.opgate.cli;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parses instants given on the command line. */
final class Instants {

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
            return ZonedDateTime.parse(text, DateTimeFormatter.ISO_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new UsageException(option + " '" + text + "' is not an instant (expected: ISO-8601 with an offset"
                    + " or zone, like 2015-12-01T00:00+05:00, 2015-11-30T19:00Z or 2015-12-01T00:00[Asia/Karachi])");
        }
    }
}
