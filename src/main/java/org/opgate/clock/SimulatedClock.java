package org.opgate.clock;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A clock that runs at {@code rate} simulated seconds per real second from a start instant, and
 * can be paused, resumed, set, jumped and re-rated. Real time comes from a nanosecond source
 * (System::nanoTime, or a test's own), so the clock never reads the wall clock.
 */
public final class SimulatedClock extends GatewayClock {

    private final LongSupplier nanoTime;
    private Instant anchor;
    private long anchorNanos;
    private double rate;
    private boolean paused;

    public SimulatedClock(Instant start, double rate, boolean paused) {
        this(start, rate, paused, System::nanoTime);
    }

    public SimulatedClock(Instant start, double rate, boolean paused, LongSupplier nanoTime) {
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.anchor = Objects.requireNonNull(start, "start");
        this.anchorNanos = nanoTime.getAsLong();
        this.rate = checkRate(rate);
        this.paused = paused;
    }

    private static double checkRate(double rate) {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate " + rate + " (expected: a number greater than 0)");
        }
        return rate;
    }

    @Override
    public synchronized Instant instant() {
        if (paused) {
            return anchor;
        }
        double simNanos = (nanoTime.getAsLong() - anchorNanos) * rate;
        long seconds = (long) (simNanos / 1e9);
        long nanos = (long) (simNanos - seconds * 1e9);
        return anchor.plusSeconds(seconds).plusNanos(nanos);
    }

    @Override
    public boolean isSimulated() {
        return true;
    }

    @Override
    public synchronized double rate() {
        return rate;
    }

    @Override
    public synchronized boolean isPaused() {
        return paused;
    }

    @Override
    protected synchronized long realNanosUntil(Instant target) {
        if (paused) {
            return Long.MAX_VALUE;
        }
        Duration d = Duration.between(instant(), target);
        if (d.isNegative()) {
            return 0;
        }
        double real = (d.getSeconds() * 1e9 + d.getNano()) / rate;
        return real >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.ceil(real);
    }

    /** Moves the clock to {@code t}; boundaries passed going forward are reported. */
    public void set(Instant t) {
        Objects.requireNonNull(t, "t");
        synchronized (this) {
            anchor = t;
            anchorNanos = nanoTime.getAsLong();
        }
        changed();
    }

    /** Moves the clock by {@code d} (negative moves back). */
    public void jump(Duration d) {
        Instant target;
        synchronized (this) {
            target = instant().plus(d);
        }
        set(target);
    }

    /** Moves the clock to the next boundary of {@code schedule}; returns it, or null if none. */
    public Instant jumpToNext(BoundarySchedule schedule) {
        Instant next = schedule.nextAfter(instant());
        if (next != null) {
            set(next);
        }
        return next;
    }

    public void setRate(double newRate) {
        checkRate(newRate);
        synchronized (this) {
            anchor = instant();
            anchorNanos = nanoTime.getAsLong();
            rate = newRate;
        }
        changed();
    }

    public void pause() {
        synchronized (this) {
            if (paused) {
                return;
            }
            anchor = instant();
            paused = true;
        }
        changed();
    }

    public void resume() {
        synchronized (this) {
            if (!paused) {
                return;
            }
            anchorNanos = nanoTime.getAsLong();
            paused = false;
        }
        changed();
    }
}
