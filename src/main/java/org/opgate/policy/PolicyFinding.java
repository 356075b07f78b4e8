package org.opgate.policy;

import org.opgate.source.SourceLocation;

/**
 * Something {@code check} found in a valid set of policies.
 *
 * @param kind     what sort of finding
 * @param where    the policy or phase it is about
 * @param message  one sentence for the engineer
 */
public record PolicyFinding(Kind kind, SourceLocation where, String message) {

    /** Finding kinds. */
    public enum Kind {
        /** A phase's local time falls in a DST gap or overlap; the message gives the instant used. */
        LOCAL_TIME,
        /** The policy can never apply to any flow, or never changes anything. */
        NEVER_APPLIES,
        /** Two exemptions of one policy cover the same subscribers. */
        OVERLAPPING_EXEMPTIONS
    }
}
