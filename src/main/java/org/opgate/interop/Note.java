package org.opgate.interop;

import java.util.Objects;
import org.opgate.source.SourceLocation;

/**
 * Something an import or export could not carry over, and why: printed as
 * {@code file:line: what}, the form editors and CI logs link to.
 *
 * @param where the line of the source file (import) or the rule or phase of the config (export)
 * @param what  what was left out and why
 */
public record Note(SourceLocation where, String what) {

    public Note {
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(what, "what");
    }

    @Override
    public String toString() {
        return where.fileAndLine() + ": " + what;
    }
}
