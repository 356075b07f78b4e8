package org.opgate.sim.demo;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.opgate.clock.SimulatedClock;
import org.opgate.sim.population.Population;

/**
 * Holds the simulated clock while the population lags behind it, so that sessions happen on the
 * simulated day they were planned for. At the demo's rates one real second is days of simulated
 * time: a session whose setup waits a second (a busy event loop on a shared machine, a JVM pause,
 * a lost SYN retransmitted after 1 s) would otherwise record its outcome days late, and a
 * deadline's cuts and reconnections would spread over the following week.
 *
 * <p>The clock stands still once the oldest session in setup is late by more than an eighth of a
 * report interval of simulated time (at the clock's rate now, and between {@link #MIN_HOLD_NANOS}
 * and {@link #MAX_HOLD_NANOS} of real time), and runs on once every setup is within a third of
 * that; it also stands while more than {@link #MAX_SETTING_UP} sessions are in setup at once (a
 * machine that falls behind piles up connections until it runs out of file descriptors). A setup
 * older than {@link #GIVE_UP_NANOS} is not waited for, and the clock stands still for at most
 * {@link #MAX_HELD_PER_RUNNING} times as long as it has run, plus {@link #HELD_ALLOWANCE_NANOS}:
 * a machine far too busy for the run makes it at most four times as long (and 10 s), and what is
 * late beyond that is counted among the slow setups.
 */
final class LagGovernor implements AutoCloseable {

    /** Never hold for lags shorter than this (real time): the normal setup of a busy machine. */
    static final long MIN_HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** Hold for lags longer than this whatever the rate. */
    static final long MAX_HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Never wait for one setup longer than this (a session that hangs must not stop the run). */
    static final long GIVE_UP_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);
    /** The clock stands still for at most this many times as long as it has run. */
    static final int MAX_HELD_PER_RUNNING = 3;
    /** Held time allowed on top of that: the start, when a cold JVM is slow at everything, has run for no time yet. */
    static final long HELD_ALLOWANCE_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Sessions in setup at once beyond which the clock holds, whatever their age. */
    static final int MAX_SETTING_UP = 512;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final SimulatedClock clock;
    private final Population population;
    /** Simulated lateness tolerated: an eighth of a report interval. */
    private final double toleranceSimNanos;
    private final long startNanos = System.nanoTime();
    private final Thread thread;
    private volatile boolean running = true;
    private Instant held;
    private long heldSince;
    private volatile long heldNanos;
    private volatile long holds;

    LagGovernor(SimulatedClock clock, Population population, java.time.Duration interval) {
        this.clock = clock;
        this.population = population;
        this.toleranceSimNanos = interval.toNanos() / 8.0;
        this.thread = new Thread(this::loop, "opgate-lag-governor");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            long lag = population.setupLagNanos(GIVE_UP_NANOS);
            long holdAt = Math.max(MIN_HOLD_NANOS, Math.min(MAX_HOLD_NANOS, (long) (toleranceSimNanos / clock.rate())));
            long now = System.nanoTime();
            long totalHeld = heldNanos + (held == null ? 0 : now - heldSince);
            boolean budget = totalHeld < HELD_ALLOWANCE_NANOS + MAX_HELD_PER_RUNNING * ((now - startNanos) - totalHeld);
            int pending = population.settingUp();
            if (held == null && (lag > holdAt || pending > MAX_SETTING_UP) && budget) {
                held = clock.holdAt(clock.instant());
                heldSince = System.nanoTime();
                holds++;
            } else if (held != null && ((lag < holdAt / 3 && pending <= MAX_SETTING_UP / 2) || !budget)) {
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
