package org.opgate.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's cost of one dependent memory access, for reading the classifier's numbers: a
 * pointer chase through {@code sizeKb} of memory, one element per 64-byte cache line, in one
 * random cycle, so every load waits for the one before and no prefetcher can guess the next.
 * ns/op is the latency of one access from wherever a working set of that size lives (L1, L2,
 * L3 or memory). A classifier lookup over a 100,000-rule index that does not fit in the cache
 * cannot be faster than the dependent accesses it makes to it, each costing the large-size figure.
 *
 * <pre>
 * bench/run MemoryLatencyBenchmark
 * bench/run MemoryLatencyBenchmark -p spacing=4096 -p sizeKb=128,512,1024,2048
 * </pre>
 * The second spreads the same lines one to a 4 KB page (at a random line within it), so the
 * working set spans 64 times more pages: against the first, what address translation adds when
 * the lines are cached but their pages are too many for the TLB.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class MemoryLatencyBenchmark {

    /** ints per 64-byte line. */
    private static final int LINE = 16;

    /** KB of lines in the cycle. */
    @Param({"16", "256", "1024", "4096", "16384", "65536"})
    int sizeKb;

    /** Bytes from one used line to the next: 64 (dense) or 4096 (one line per page). */
    @Param({"64"})
    int spacing;

    private int[] next;
    private int at;

    @Setup(Level.Trial)
    public void setUp() {
        int lines = sizeKb * 1024 / 64;
        int[] order = new int[lines];
        for (int i = 0; i < lines; i++) {
            order[i] = i;
        }
        Random r = new Random(1);
        for (int i = lines - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int block = spacing / 4;
        int[] offset = new int[lines];
        for (int i = 0; i < lines; i++) {
            offset[i] = r.nextInt(spacing / 64) * LINE;
        }
        next = new int[lines * block];
        for (int i = 0; i < lines; i++) {
            int to = order[(i + 1) % lines];
            next[order[i] * block + offset[order[i]]] = to * block + offset[to];
        }
        at = order[0] * block + offset[order[0]];
    }

    @Benchmark
    public int load() {
        at = next[at];
        return at;
    }
}
