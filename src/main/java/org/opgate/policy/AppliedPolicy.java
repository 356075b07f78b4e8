package org.opgate.policy;

import java.time.Instant;

/**
 * One policy's part in a decision: the phase in force and the verdict it gives this flow.
 *
 * @param policy       the policy
 * @param phaseIndex   index of the phase in force
 * @param verdict      the verdict for this flow ({@link Verdict#ALLOW} when exempt)
 * @param end          when the phase ends, or null if it is the last
 * @param exemptReason why the flow is exempt, or null
 */
public record AppliedPolicy(Policy policy, int phaseIndex, Verdict verdict, Instant end, String exemptReason) {

    public Phase phase() {
        return policy.phases().get(phaseIndex);
    }

    public boolean shadow() {
        return policy.mode() == Policy.Mode.SHADOW;
    }

    /** The subscriber-facing reason: the phase's, or why this subscriber is exempt from it. */
    public String reason() {
        return exemptReason != null
                ? policy.trafficClass() + " access open: " + exemptReason + " (policy " + policy.id()
                + ", phase '" + phase().name() + "')"
                : phase().reason();
    }
}
