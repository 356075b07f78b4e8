package org.opgate.scenario;

import java.time.Duration;

/**
 * How a persistent client (a BES server) comes back after a refused, cut or failed connection:
 * it waits {@code first}, then {@code factor} times longer after each further failure, at most
 * {@code max}. A success starts the count again.
 */
public record Reconnect(Duration first, double factor, Duration max) {

    /** The wait after the {@code failures}-th failure in a row (1 for the first). */
    public Duration after(int failures) {
        double seconds = first.toSeconds() * Math.pow(factor, Math.max(0, failures - 1));
        return seconds >= max.toSeconds() ? max : Duration.ofSeconds((long) seconds);
    }
}
