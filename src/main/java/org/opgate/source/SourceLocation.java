package org.opgate.source;

import java.util.Objects;

/**
 * Where a piece of configuration came from: a file as the user named it, and a 1-based line and
 * column. Printed as {@code file:line:column}, the form editors and CI logs link to.
 */
public record SourceLocation(String file, int line, int column) {

    /** For values that come from no file (command-line flags, generated rule sets). */
    public static final SourceLocation NONE = new SourceLocation("<none>", 0, 0);

    public SourceLocation {
        Objects.requireNonNull(file, "file");
    }

    public static SourceLocation of(String file, int line, int column) {
        return new SourceLocation(file, line, column);
    }

    /** {@code file:line}, for one-line listings where the column is noise. */
    public String fileAndLine() {
        return file + ":" + line;
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
