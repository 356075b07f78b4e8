package org.opgate.fuzz;

import java.util.HexFormat;
import java.util.Random;

/**
 * A fuzz run's size and seed, from system properties so CI and a developer replaying a failure
 * run the same cases: {@value #CASES_PROPERTY} (default {@value #DEFAULT_CASES} per parser) and
 * {@value #SEED_PROPERTY}. A failure names the run, seed, case number and input.
 */
record Fuzz(String name, int cases, long seed) {

    static final String CASES_PROPERTY = "opgate.fuzz.cases";
    static final String SEED_PROPERTY = "opgate.fuzz.seed";
    static final int DEFAULT_CASES = 100_000;
    static final long DEFAULT_SEED = 20_151_201L;

    static Fuzz of(String name) {
        return new Fuzz(name, Integer.getInteger(CASES_PROPERTY, DEFAULT_CASES), Long.getLong(SEED_PROPERTY, DEFAULT_SEED));
    }

    /** {@code cases} scaled by {@code percent}, at least one: for parsers whose cases cost more. */
    Fuzz scaled(int percent) {
        return new Fuzz(name, Math.max(1, (int) ((long) cases * percent / 100)), seed);
    }

    Random random() {
        return new Random(seed);
    }

    AssertionError failure(int caseNumber, String what, byte[] input) {
        String hex = HexFormat.of().formatHex(input, 0, Math.min(input.length, 4096));
        return new AssertionError(name + ": fuzz case " + caseNumber + " of seed " + seed + " (replay: -D"
                + SEED_PROPERTY + "=" + seed + " -D" + CASES_PROPERTY + "=" + (caseNumber + 1) + "): " + what
                + "\n  input (" + input.length + " bytes): " + hex + (input.length > 4096 ? "…" : ""));
    }
}
