package org.opgate.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded waits for things that happen on other threads. A wait only ever fails when the bound
 * runs out; tests never assert how fast something happened.
 *
 * <pre>
 * Await.until(() -> gw.tunnels().size() == 0, "the tunnel to leave the registry");
 * </pre>
 */
public final class Await {

    /** Long enough for a loaded two-core CI machine; short enough that a hang fails the build. */
    public static final Duration DEFAULT = Duration.ofSeconds(10);

    private Await() {
    }

    /** Waits up to {@link #DEFAULT} for {@code condition}; fails with {@code what} if it never holds. */
    public static void until(BooleanSupplier condition, String what) {
        until(DEFAULT, condition, what);
    }

    public static void until(Duration bound, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("waited " + bound.toMillis() + " ms for " + what + ", in vain");
            }
            pause();
        }
    }

    /**
     * Waits up to {@link #DEFAULT} for {@code supplier} to return a non-null value and returns it;
     * fails with {@code what} if it never does.
     */
    public static <T> T value(Supplier<T> supplier, String what) {
        long deadline = System.nanoTime() + DEFAULT.toNanos();
        for (T v = supplier.get(); ; v = supplier.get()) {
            if (v != null) {
                return v;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("waited " + DEFAULT.toMillis() + " ms for " + what + ", in vain");
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
