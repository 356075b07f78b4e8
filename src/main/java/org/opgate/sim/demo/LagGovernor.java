package org.opgate.sim.demo;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.opgate.clock.SimulatedClock;
import org.opgate.sim.population.Population;

/**
 * Holds the simulated clock while the population lags behind it, so that sessions happen on the
 * simulated day they were planned for. At the demo's rates one real second is days of simulated
 * time: a session whose setup waits a second (a lost SYN is retransmitted after 1 s, a busy event
 * loop, a pause of the JVM) would otherwise record its outcome days late, and a deadline's cuts
 * and reconnections would spread over the following week. Once the oldest session in setup has
 * waited {@link #HOLD_AT_NANOS} of real time the clock stands still until every setup is younger
 * than {@link #RELEASE_AT_NANOS}; a setup older than {@link #GIVE_UP_NANOS} is not waited for (it
 * is counted among the slow sessions). The real time spent holding is what the run reports.
 */
final class LagGovernor implements AutoCloseable {

    /** Hold once a setup has waited this long: 50 ms is under 5 simulated hours at the demo's rate. */
    static final long HOLD_AT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Run on once every setup is younger than this. */
    static final long RELEASE_AT_NANOS = TimeUnit.MILLISECONDS.toNanos(15);
    /** Never wait for one setup longer than this (a session that hangs must not stop the run). */
    static final long GIVE_UP_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final SimulatedClock clock;
    private final Population population;
    private final Thread thread;
    private volatile boolean running = true;
    private Instant held;
    private long heldSince;
    private volatile long heldNanos;
    private volatile long holds;

    LagGovernor(SimulatedClock clock, Population population) {
        this.clock = clock;
        this.population = population;
        this.thread = new Thread(this::loop, "opgate-lag-governor");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            long lag = population.setupLagNanos(GIVE_UP_NANOS);
            if (held == null && lag > HOLD_AT_NANOS) {
                held = clock.holdAt(clock.instant());
                heldSince = System.nanoTime();
                holds++;
            } else if (held != null && lag < RELEASE_AT_NANOS) {
                release();
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        release();
    }

    private void release() {
        if (held != null) {
            clock.release(held);
            heldNanos += System.nanoTime() - heldSince;
            held = null;
        }
    }

    /** Real seconds the clock has stood still for lagging sessions. */
    double heldSeconds() {
        return heldNanos / 1e9;
    }

    /** How many times it held the clock. */
    long holds() {
        return holds;
    }

    /** Stops governing and releases the clock. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
