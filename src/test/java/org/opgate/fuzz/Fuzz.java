package org.opgate.fuzz;

import java.util.HexFormat;
import java.util.Random;

/**
 * A fuzz run's size and seed, from system properties so CI and a developer replaying a failure
 * run the same cases: {@value #SCALE_PROPERTY} multiplies each test's default number of cases
 * (chosen so the whole fuzz set takes about a minute and a half of CPU on this 2-core machine),
 * {@value #CASES_PROPERTY} sets an exact number for every test run (to replay a failure), and
 * {@value #SEED_PROPERTY} the seed. A failure names the run, seed, case number and input.
 */
record Fuzz(String name, int cases, long seed) {

    static final String CASES_PROPERTY = "opgate.fuzz.cases";
    static final String SCALE_PROPERTY = "opgate.fuzz.scale";
    static final String SEED_PROPERTY = "opgate.fuzz.seed";
    static final long DEFAULT_SEED = 20_151_201L;

    static Fuzz of(String name, int defaultCases) {
        double scale = Double.parseDouble(System.getProperty(SCALE_PROPERTY, "1"));
        int cases = Integer.getInteger(CASES_PROPERTY, (int) Math.max(1, Math.min(Integer.MAX_VALUE, defaultCases * scale)));
        return new Fuzz(name, cases, Long.getLong(SEED_PROPERTY, DEFAULT_SEED));
    }

    /** Prints what ran and the CPU time it took on this thread (wall time means little on a shared machine). */
    void report(long cpuNanosAtStart) {
        reportCpu(cpuNow() - cpuNanosAtStart);
    }

    /** Like {@link #report(long)}, for a run whose threads' CPU time was summed by the caller. */
    void reportCpu(long cpuNanos) {
        System.out.printf("fuzz %s: %d cases, seed %d, %d ms CPU (%.0f cases/s of CPU)%n", name, cases, seed,
                cpuNanos / 1_000_000, cases / Math.max(cpuNanos / 1e9, 1e-9));
    }

    static long cpuNow() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    Random random() {
        return new Random(seed);
    }

    /** Case {@code n}'s own source: the same input for the case whatever ran before it. */
    Random random(int caseNumber) {
        return new Random(seed * 0x9E3779B97F4A7C15L + caseNumber);
    }

    AssertionError failure(int caseNumber, String what, byte[] input) {
        String hex = HexFormat.of().formatHex(input, 0, Math.min(input.length, 1024));
        return new AssertionError(name + ": fuzz case " + caseNumber + " of seed " + seed + " (replay: -D"
                + SEED_PROPERTY + "=" + seed + " -D" + CASES_PROPERTY + "=" + (caseNumber + 1) + "): " + what
                + "\n  input (" + input.length + " bytes): " + hex + (input.length > 1024 ? "…" : ""));
    }
}
