package org.opgate.policy;

import java.util.Locale;

/**
 * The outcome of a decision, ordered from least to most restrictive: when several policies
 * apply to one flow, the most restrictive verdict wins.
 */
public enum Verdict {
    /** Relay. */
    ALLOW,
    /** Relay; the subscriber has been notified of a coming change. */
    NOTIFY,
    /** Relay; the flow is reported to the authority. */
    REPORT,
    /** Relay at a limited rate. */
    THROTTLE,
    /** Refuse. */
    BLOCK;

    /** Computed once: it is asked on every decision (metrics tags, logs). */
    private final String configName = name().toLowerCase(Locale.ROOT);

    public boolean isMoreRestrictiveThan(Verdict other) {
        return compareTo(other) > 0;
    }

    /** True for verdicts that let bytes through. */
    public boolean relays() {
        return this != BLOCK;
    }

    public String configName() {
        return configName;
    }
}
