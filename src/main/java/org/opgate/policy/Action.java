package org.opgate.policy;

import java.util.Locale;

/** What a policy phase does to the flows of its class. */
public enum Action {
    /** Relay normally; the phase has no effect beyond being named in the decision. */
    ALLOW(Verdict.ALLOW),
    /** Relay, but mark the decision and count the subscriber as notified. */
    NOTIFY(Verdict.NOTIFY),
    /** Relay, and add the subscriber to the authority report. */
    REPORT(Verdict.REPORT),
    /** Relay at the phase's byte rate. */
    THROTTLE(Verdict.THROTTLE),
    /** Refuse new flows; with {@code cut-existing}, also close tunnels open at the phase start. */
    BLOCK(Verdict.BLOCK);

    private final Verdict verdict;

    Action(Verdict verdict) {
        this.verdict = verdict;
    }

    public Verdict verdict() {
        return verdict;
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
