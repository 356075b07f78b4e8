package org.opgate.sim.population;

import java.time.Instant;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.opgate.clock.GatewayClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks at instants of the gateway clock, on one thread of its own: whatever the clock does
 * (a rate change, a pause, a jump from the dashboard) a task runs once the clock shows its
 * instant, and tasks due at the same instant run in the order they were scheduled. The thread
 * polls every millisecond or two; at a simulated day a second that is a resolution of about
 * three simulated minutes, far below any hold or gap of a population.
 */
public final class SimScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SimScheduler.class);
    private static final long POLL_NANOS = 1_000_000;

    private record Task(Instant at, long seq, Runnable action) {
    }

    private final GatewayClock clock;
    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) -> {
        int c = a.at.compareTo(b.at);
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    });
    private final AtomicLong seq = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    public SimScheduler(GatewayClock clock, String name) {
        this.clock = clock;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs {@code action} once the clock shows {@code at} (at once if it already does). Thread-safe. */
    public void at(Instant at, Runnable action) {
        synchronized (queue) {
            queue.add(new Task(at, seq.getAndIncrement(), action));
        }
    }

    /** How many tasks wait. */
    public int pending() {
        synchronized (queue) {
            return queue.size();
        }
    }

    private void loop() {
        while (running) {
            Instant now = clock.instant();
            while (running) {
                Task t;
                synchronized (queue) {
                    t = queue.peek();
                    if (t == null || t.at.isAfter(now)) {
                        break;
                    }
                    queue.poll();
                }
                try {
                    t.action.run();
                } catch (RuntimeException e) {
                    LOG.warn("simulated task at {} failed", t.at, e);
                }
            }
            java.util.concurrent.locks.LockSupport.parkNanos(POLL_NANOS);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
