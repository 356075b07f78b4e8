package org.opgate.classify;

/**
 * The result of classifying a flow: its traffic class and the rule that decided it.
 * Classifiers return shared instances (one per rule, and {@link #OTHER}), so classifying
 * allocates nothing.
 *
 * @param trafficClass class name, {@link #OTHER_CLASS} when no rule matched
 * @param rule         the first matching rule, or null for {@code OTHER}
 */
public record Classification(String trafficClass, EndpointRule rule) {

    public static final String OTHER_CLASS = "OTHER";

    /** Traffic that no rule matches. */
    public static final Classification OTHER = new Classification(OTHER_CLASS, null);

    public static Classification of(EndpointRule rule) {
        return new Classification(rule.trafficClass(), rule);
    }

    public boolean isOther() {
        return rule == null;
    }
}
