package org.opgate.gateway.enforce;

import org.opgate.flow.Flow;
import org.opgate.policy.Decision;

/**
 * A flow and what the gateway decided for it.
 *
 * @param flow       the facts, as decided
 * @param decision   the decision
 * @param fronting   true if the requested host and the SNI fall in different classes
 * @param revised    true if the SNI peek revised the first decision
 */
public record Outcome(Flow flow, Decision decision, boolean fronting, boolean revised) {

    public boolean allowed() {
        return decision.verdict().relays();
    }

    public String trafficClass() {
        return decision.classification().trafficClass();
    }
}
