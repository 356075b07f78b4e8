package org.opgate.policy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Objects;
import org.opgate.source.SourceLocation;

/**
 * One dated step of a policy: from {@code start} on (until the next phase), flows of the
 * policy's class get {@code action}.
 *
 * @param name            short label shown in timelines ({@code deadline}), never null
 * @param from            the local date-time as written, in the policy's zone
 * @param start           the exact instant {@code from} denotes in the policy's zone
 * @param action          what the phase does
 * @param bytesPerSecond  throttle rate; 0 unless the action is {@link Action#THROTTLE}
 * @param cutExisting     for {@link Action#BLOCK}: close tunnels that are open at {@code start}
 * @param reason          text for the affected subscriber, written when the policy is built
 * @param location        where the phase was written
 */
public record Phase(String name, LocalDateTime from, Instant start, Action action, long bytesPerSecond,
                    boolean cutExisting, String reason, SourceLocation location) {

    public Phase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(reason, "reason");
        if ((action == Action.THROTTLE) != (bytesPerSecond > 0)) {
            throw new IllegalArgumentException("phase '" + name + "': a throttle rate is needed for throttle and only there");
        }
        if (cutExisting && action != Action.BLOCK) {
            throw new IllegalArgumentException("phase '" + name + "': cut-existing applies to block phases only");
        }
    }
}
