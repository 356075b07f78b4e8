package org.opgate.cli;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import org.opgate.config.InstantText;

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
        return parseZoned(text, option).toInstant();
    }

    /** As {@link #parse}, keeping the zone or offset the user wrote, for printing instants back. */
    static ZonedDateTime parseZoned(String text, String option) {
        try {
            return InstantText.parse(text);
        } catch (DateTimeParseException e) {
            throw new UsageException(option + " '" + text + "' is not an instant (expected: " + InstantText.EXPECTED + ")");
        }
    }
}
