package org.opgate.clock;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clock every decision reads: {@link #real()} or {@link SimulatedClock simulated}. Nothing in
 * opgate reads the system clock except through a {@code GatewayClock}.
 *
 * <p>{@link #watch} tells a listener when the clock passes each boundary of a schedule: a timer
 * wakes at the real time the next boundary is due (scaled by the rate), and every move of a
 * simulated clock checks at once, so a jump across several boundaries reports each of them, in
 * order. Thread-safe.
 */
public abstract class GatewayClock extends Clock {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayClock.class);
    /** Longest timer sleep; a long sleep is re-checked so drift and rate changes cannot pile up. */
    private static final long MAX_SLEEP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    /** Guards {@link #timer}; never held while taking a watch's or the clock's own lock. */
    private final Object timerLock = new Object();
    private ScheduledExecutorService timer;

    /** The real clock (system time, UTC). */
    public static GatewayClock real() {
        return new RealClock(Clock.systemUTC());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        GatewayClock self = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId z) {
                return self.withZone(z);
            }

            @Override
            public Instant instant() {
                return self.instant();
            }
        };
    }

    /** True for a simulated clock. */
    public abstract boolean isSimulated();

    /** Simulated seconds per real second (1 for the real clock). */
    public abstract double rate();

    /** True if the clock stands still. */
    public abstract boolean isPaused();

    /**
     * Real nanoseconds until the clock shows {@code target}, from now; {@code Long.MAX_VALUE} if
     * it never will while nothing changes (paused, or the target is in the past).
     */
    protected abstract long realNanosUntil(Instant target);

    /**
     * Starts telling {@code listener} about every boundary of {@code schedule} the clock passes
     * from now on. Close the returned watch to stop.
     */
    public Watch watch(BoundarySchedule schedule, CrossingListener listener) {
        Watch w = new Watch(schedule, listener, instant());
        watches.add(w);
        w.arm();
        return w;
    }

    /** Re-checks every watch at once; subclasses call it after every move or rate change. */
    protected final void changed() {
        for (Watch w : watches) {
            w.check();
        }
    }

    private ScheduledExecutorService timer() {
        synchronized (timerLock) {
            if (timer == null) {
                timer = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "opgate-clock");
                    t.setDaemon(true);
                    return t;
                });
            }
            return timer;
        }
    }

    /** Stops every watch and the timer thread. */
    public void close() {
        for (Watch w : watches) {
            w.close();
        }
        synchronized (timerLock) {
            if (timer != null) {
                timer.shutdownNow();
                timer = null;
            }
        }
    }

    /** A registration made by {@link #watch}. */
    public final class Watch implements AutoCloseable {
        private final BoundarySchedule schedule;
        private final CrossingListener listener;
        private Instant checkedUpTo;
        private ScheduledFuture<?> pending;
        private boolean closed;

        private Watch(BoundarySchedule schedule, CrossingListener listener, Instant from) {
            this.schedule = schedule;
            this.listener = listener;
            this.checkedUpTo = from;
        }

        private synchronized void check() {
            if (closed) {
                return;
            }
            Instant now = instant();
            if (now.isBefore(checkedUpTo)) {
                // Set backwards: boundaries between now and the old instant may be crossed again later.
                checkedUpTo = now;
            } else {
                Instant b = schedule.nextAfter(checkedUpTo);
                while (b != null && !b.isAfter(now)) {
                    try {
                        listener.crossed(b, now);
                    } catch (RuntimeException e) {
                        LOG.warn("clock boundary listener failed at {}", b, e);
                    }
                    b = schedule.nextAfter(b);
                }
                checkedUpTo = now;
            }
            arm();
        }

        private synchronized void arm() {
            if (closed) {
                return;
            }
            if (pending != null) {
                pending.cancel(false);
                pending = null;
            }
            Instant next = schedule.nextAfter(checkedUpTo);
            if (next == null || isPaused()) {
                return;
            }
            long nanos = realNanosUntil(next);
            if (nanos == Long.MAX_VALUE) {
                return;
            }
            // Wake at the boundary (never early: a rounding error would only cost a re-arm).
            long delay = Math.min(Math.max(nanos, 0), MAX_SLEEP_NANOS);
            pending = timer().schedule(this::check, delay, TimeUnit.NANOSECONDS);
        }

        /**
         * Checks the schedule again now and re-arms the timer: for a schedule that has changed
         * (a reload brought other boundaries), so its next boundary is not missed.
         */
        public void recheck() {
            check();
        }

        @Override
        public synchronized void close() {
            closed = true;
            if (pending != null) {
                pending.cancel(false);
            }
            watches.remove(this);
        }
    }
}
