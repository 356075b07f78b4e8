package org.opgate.clock;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A clock that runs at {@code rate} simulated seconds per real second from a start instant, and
 * can be paused, resumed, set, jumped and re-rated. Real time comes from a nanosecond source
 * (System::nanoTime, or a test's own), so the clock never reads the wall clock.
 *
 * <p>A {@link #holdAt hold} is an instant the clock does not run past until it is released: a
 * scenario holds the clock at each event until its revision is in force (no decision is ever made
 * past an event with the config before it), and while its simulated subscribers lag behind the
 * clock. Released, the clock runs on from the held instant, so no simulated time is skipped.
 * Holds are apart from {@link #pause()}: a user's pause and resume never release one.
 */
public final class SimulatedClock extends GatewayClock {

    /**
     * The instants a simulated clock can show: four-digit years, which every date-time the
     * gateway prints or converts to a zone can hold. A clock that runs past the end stands there.
     */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private final LongSupplier nanoTime;
    private Instant anchor;
    private long anchorNanos;
    private double rate;
    private boolean paused;
    /** Instants the clock may not pass, with how many holds each (a hold before the anchor is ignored). */
    private final java.util.TreeMap<Instant, Integer> holds = new java.util.TreeMap<>();

    public SimulatedClock(Instant start, double rate, boolean paused) {
        this(start, rate, paused, System::nanoTime);
    }

    public SimulatedClock(Instant start, double rate, boolean paused, LongSupplier nanoTime) {
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.anchor = checkInstant(Objects.requireNonNull(start, "start"));
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

    /**
     * Returns {@code t} if the clock can show it.
     *
     * @throws IllegalArgumentException naming the instant and the range
     */
    public static Instant checkInstant(Instant t) {
        if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
            throw new IllegalArgumentException("instant " + t + " is out of range (expected: from " + EARLIEST
                    + " to " + LATEST + ")");
        }
        return t;
    }

    /**
     * The instant {@code d} from {@code from}, if the clock can show it.
     *
     * @throws IllegalArgumentException naming the jump and the range
     */
    public static Instant checkJump(Instant from, Duration d) {
        Instant target;
        try {
            target = from.plus(d);
        } catch (ArithmeticException | DateTimeException e) {
            target = null;
        }
        if (target == null || target.isBefore(EARLIEST) || target.isAfter(LATEST)) {
            throw new IllegalArgumentException("jump " + d + " from " + from + " leaves the clock's range (expected: from "
                    + EARLIEST + " to " + LATEST + ")");
        }
        return target;
    }

    @Override
    public synchronized Instant instant() {
        Instant running = running();
        Instant held = heldAt();
        return held != null && running.isAfter(held) ? held : running;
    }

    /** The instant without holds. */
    private Instant running() {
        if (paused) {
            return anchor;
        }
        double simNanos = (nanoTime.getAsLong() - anchorNanos) * rate;
        // Any rate may run the clock off its range (1e308 does so at once): there it stands, so
        // reading it never overflows.
        if (simNanos / 1e9 >= Duration.between(anchor, LATEST).getSeconds()) {
            return LATEST;
        }
        long seconds = (long) (simNanos / 1e9);
        long nanos = (long) (simNanos - seconds * 1e9);
        return anchor.plusSeconds(seconds).plusNanos(nanos);
    }

    /** The first hold at or after the anchor, or null. */
    private Instant heldAt() {
        return holds.isEmpty() ? null : holds.ceilingKey(anchor);
    }

    /**
     * Holds the clock at {@code at}: it runs up to that instant and stands there until the hold
     * is released (at once if it is already past it: then it stands where it is now).
     *
     * @return the instant held, to give to {@link #release}
     */
    public Instant holdAt(Instant at) {
        Objects.requireNonNull(at, "at");
        Instant h;
        synchronized (this) {
            Instant now = instant();
            h = at.isBefore(now) ? now : at;
            holds.merge(h, 1, Integer::sum);
        }
        changed();
        return h;
    }

    /** True while the clock stands at a hold. */
    public synchronized boolean isHeld() {
        Instant held = heldAt();
        return held != null && !running().isBefore(held);
    }

    /** Releases one hold made by {@link #holdAt}; the clock runs on from where it stood. */
    public void release(Instant held) {
        synchronized (this) {
            Integer n = holds.get(held);
            if (n == null) {
                return;
            }
            // Re-anchored where it stood, so the real time spent holding is not skipped over.
            Instant now = instant();
            anchor = now;
            anchorNanos = nanoTime.getAsLong();
            if (n == 1) {
                holds.remove(held);
            } else {
                holds.put(held, n - 1);
            }
        }
        changed();
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
        Instant held = heldAt();
        if (held != null && target.isAfter(held)) {
            return Long.MAX_VALUE;   // not before the hold is released, which re-checks every watch
        }
        Duration d = Duration.between(instant(), target);
        if (d.isNegative()) {
            return 0;
        }
        double real = (d.getSeconds() * 1e9 + d.getNano()) / rate;
        return real >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.ceil(real);
    }

    /**
     * Moves the clock to {@code t}; boundaries passed going forward are reported.
     *
     * @throws IllegalArgumentException if {@code t} is outside {@link #EARLIEST}..{@link #LATEST}
     */
    public void set(Instant t) {
        checkInstant(Objects.requireNonNull(t, "t"));
        synchronized (this) {
            anchor = t;
            anchorNanos = nanoTime.getAsLong();
        }
        changed();
    }

    /**
     * Moves the clock by {@code d} (negative moves back).
     *
     * @throws IllegalArgumentException if that leaves {@link #EARLIEST}..{@link #LATEST}
     */
    public void jump(Duration d) {
        Instant target;
        synchronized (this) {
            target = checkJump(instant(), d);
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
