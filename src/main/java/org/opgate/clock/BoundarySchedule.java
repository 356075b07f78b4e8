package org.opgate.clock;

import java.time.Instant;

/** The instants a clock watcher cares about, such as policy phase boundaries. */
@FunctionalInterface
public interface BoundarySchedule {

    /** The first boundary strictly after {@code t}, or null if there is none. */
    Instant nextAfter(Instant t);
}
