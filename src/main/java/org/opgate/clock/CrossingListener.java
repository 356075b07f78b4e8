package org.opgate.clock;

import java.time.Instant;

/**
 * Told when the gateway clock passes a boundary of its schedule. Called once per boundary, in
 * order, also when one jump or one timer tick passes several; never for boundaries passed by
 * setting the clock backwards. Called on the clock's timer thread or on the thread that moved
 * the clock; implementations must be quick and thread-safe, and must not move the clock.
 */
@FunctionalInterface
public interface CrossingListener {

    /**
     * @param boundary the exact boundary instant that was passed
     * @param now      the clock's instant when the crossing was noticed ({@code >= boundary})
     */
    void crossed(Instant boundary, Instant now);
}
