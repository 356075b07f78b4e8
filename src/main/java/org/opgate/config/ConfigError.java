package org.opgate.config;

import java.util.Objects;
import org.opgate.source.SourceLocation;

/**
 * One problem in the configuration: where, what is wrong, and what was expected.
 * {@link #toString()} gives {@code file:line:column: message (expected: …)}.
 *
 * @param where    location of the offending node (or the file, line 1, for file-level errors)
 * @param message  what is wrong, naming the value
 * @param expected what would have been accepted, or null
 */
public record ConfigError(SourceLocation where, String message, String expected) {

    public ConfigError {
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(message, "message");
    }

    /** The message with its {@code (expected: …)} part, without the location. */
    public String text() {
        return expected == null ? message : message + " (expected: " + expected + ")";
    }

    /** {@code file:line:column: text}, or {@code file: text} for errors about a whole file. */
    @Override
    public String toString() {
        return (where.line() == 0 ? where.file() : where.toString()) + ": " + text();
    }
}
