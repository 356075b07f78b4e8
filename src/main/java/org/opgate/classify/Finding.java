package org.opgate.classify;

/**
 * Something {@code check} found in a valid rule set that the engineer should look at.
 *
 * @param kind    what sort of finding
 * @param rule    the rule the finding is about (the later one)
 * @param other   the rule it conflicts with (the earlier one for {@link Kind#SHADOWED})
 * @param message one sentence for the engineer, without a location prefix
 */
public record Finding(Kind kind, EndpointRule rule, EndpointRule other, String message) {

    /** Finding kinds. */
    public enum Kind {
        /** The rule can never match: an earlier rule matches every flow it would. */
        SHADOWED,
        /** Rules of two classes match some common flows; first-match order decides between them. */
        OVERLAP
    }
}
