package org.opgate.policy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.opgate.source.SourceLocation;

/**
 * A dated enforcement order for one traffic class: which operators it binds, in which time zone
 * its dates are written, and its phases in time order.
 *
 * @param id           unique policy id
 * @param trafficClass the class it applies to ({@code OTHER} allowed)
 * @param operators    operator ids it binds; empty means every operator
 * @param zone         zone of the phases' local dates
 * @param authority    who ordered it, for reasons ("the Pakistan Telecommunication Authority"), or null
 * @param order        the order's reference, for reasons ("notice of 24 Jul 2015"), or null
 * @param mode         enforced, or only computed and logged beside the enforced verdicts
 * @param exemptions   subscribers it does not apply to
 * @param phases       phases with strictly increasing start instants, at least one
 * @param location     where it was declared
 */
public record Policy(String id, String trafficClass, Set<String> operators, ZoneId zone, String authority,
                     String order, Mode mode, Exemptions exemptions, List<Phase> phases, SourceLocation location) {

    /** Whether a policy's verdicts are enforced. */
    public enum Mode {
        /** Verdicts are enforced. */
        ENFORCE,
        /** Verdicts are computed, logged and counted as would-be verdicts, never enforced. */
        SHADOW
    }

    public Policy {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(trafficClass, "trafficClass");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(mode, "mode");
        operators = Set.copyOf(operators);
        phases = List.copyOf(phases);
        exemptions = exemptions == null ? Exemptions.NONE : exemptions;
        if (phases.isEmpty()) {
            throw new IllegalArgumentException("policy '" + id + "' has no phases");
        }
        for (int i = 1; i < phases.size(); i++) {
            if (!phases.get(i).start().isAfter(phases.get(i - 1).start())) {
                throw new IllegalArgumentException("policy '" + id + "': phase '" + phases.get(i).name()
                        + "' does not start after phase '" + phases.get(i - 1).name() + "'");
            }
        }
    }

    /** True if the policy binds {@code operator}; a null (unknown) operator only by all-operator policies. */
    public boolean bindsOperator(String operator) {
        // Set.copyOf gives an immutable set, whose contains(null) throws.
        return operators.isEmpty() || (operator != null && operators.contains(operator));
    }

    /** Index of the phase in force at {@code at}, or -1 before the first phase. */
    public int phaseIndexAt(Instant at) {
        int lo = 0;
        int hi = phases.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (!phases.get(mid).start().isAfter(at)) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** The instant phase {@code index} ends (the next phase's start), or null if it is the last. */
    public Instant phaseEnd(int index) {
        return index + 1 < phases.size() ? phases.get(index + 1).start() : null;
    }
}
