package org.opgate.config;

import java.time.Instant;

/**
 * How the gateway clock starts.
 *
 * @param simulated false for the real clock; true for a simulated one
 * @param start     first instant of a simulated clock (null for the real one)
 * @param rate      simulated seconds per real second (1 for the real clock)
 * @param paused    whether a simulated clock starts paused
 */
public record ClockSettings(boolean simulated, Instant start, double rate, boolean paused) {

    public static final ClockSettings REAL = new ClockSettings(false, null, 1, false);
}
