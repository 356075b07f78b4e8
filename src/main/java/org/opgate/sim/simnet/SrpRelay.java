package org.opgate.sim.simnet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The SRP id rule of the BlackBerry Infrastructure's relay: an SRP id that opens more than
 * {@link #MAX_PER_MINUTE} connections within one minute is disabled (blackberry-endpoints.md §0
 * A4, V), and stays disabled (re-enabling it takes its administrator; the simulation never does).
 * Later BES builds delay their reconnects to stay under it. Minutes are read from the clock it is
 * given, the gateway's simulated clock in a scenario. Thread-safe.
 */
public final class SrpRelay {

    /** Connections an SRP id may open within one minute. */
    public static final int MAX_PER_MINUTE = 5;
    /** The first bytes a relay sends to a disabled id, before it closes the connection. */
    public static final String DISABLED = "SRP-DISABLED";
    /** The first line a BES server sends on its SRP link (its basic information packet, §0 A2): {@code SRP-LOGIN <id>}. */
    public static final String LOGIN = "SRP-LOGIN";

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final Clock clock;
    private final Map<String, ArrayDeque<Instant>> recent = new HashMap<>();
    private final Set<String> disabled = new HashSet<>();

    public SrpRelay(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Counts a login of {@code id} now.
     *
     * @return true if the link may go on; false if the id is disabled (by this login or before)
     */
    public synchronized boolean login(String id) {
        if (disabled.contains(id)) {
            return false;
        }
        Instant now = clock.instant();
        ArrayDeque<Instant> times = recent.computeIfAbsent(id, k -> new ArrayDeque<>());
        while (!times.isEmpty() && !times.peekFirst().isAfter(now.minus(MINUTE))) {
            times.pollFirst();
        }
        times.addLast(now);
        if (times.size() > MAX_PER_MINUTE) {
            disabled.add(id);
            recent.remove(id);
            return false;
        }
        return true;
    }

    /** How many SRP ids are disabled. */
    public synchronized int disabledIds() {
        return disabled.size();
    }
}
