package org.opgate.bench;

import java.util.concurrent.TimeUnit;
import org.opgate.classify.Classification;
import org.opgate.classify.Classifier;
import org.opgate.classify.IndexedClassifier;
import org.opgate.classify.LinearClassifier;
import org.opgate.classify.RuleSet;
import org.opgate.flow.Flow;
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
 * Time to classify one already-parsed {@link Flow}: {@link Classifier#classify} and nothing
 * else (no parsing, normalisation or I/O), for rule sets of 10, 1,000 and 100,000 rules, with
 * the compiled {@link IndexedClassifier} ({@code kind=indexed}) against the reference
 * first-match loop {@link LinearClassifier} ({@code kind=linear}, the baseline). Rules and
 * flows come from {@link BenchmarkData} with fixed seeds: a mix of host, SNI and address hits
 * and misses. Each call takes the next flow of a pre-built array, indexed with a mask, and
 * returns the {@link Classification} so the JIT cannot drop the work.
 *
 * <p>The design target is a cost independent of the rule count for {@code indexed}, and zero
 * allocation per call ({@code gc.alloc.rate.norm} from {@code -prof gc}).
 *
 * <p>Run (from the repository root; builds the product and this jar first):
 * <pre>
 * bench/run ClassifyBenchmark -prof gc
 * </pre>
 * A single combination: {@code bench/run ClassifyBenchmark -p ruleCount=100000 -p kind=indexed}; the skewed
 * flow mix as a second figure: {@code bench/run ClassifyBenchmark -p kind=indexed -p mix=zipf -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ClassifyBenchmark {

    /** Flows per rule set; a power of two so the index wraps with a mask. */
    static final int FLOWS = 1 << 13;
    static final int MASK = FLOWS - 1;
    static final long RULE_SEED = 20150715L;
    static final long FLOW_SEED = 42L;
    private static final int ZIPF_POOL = 1 << 16;

    @Param({"10", "1000", "100000"})
    int ruleCount;

    @Param({"indexed", "linear"})
    String kind;

    /**
     * {@code uniform}: the flows' rules are drawn uniformly (the headline, cache-hostile case).
     * {@code zipf}: the same kinds of flow, but the array is drawn from a pool of 65,536 flows
     * with Zipf weights (exponent 1), as real traffic goes mostly to a few popular destinations;
     * a second figure, run with {@code -p mix=zipf}.
     */
    @Param({"uniform"})
    String mix;

    private Classifier classifier;
    private Flow[] flows;

    @Setup(Level.Trial)
    public void setUp() {
        RuleSet rules = BenchmarkData.ruleSet(ruleCount, RULE_SEED);
        flows = switch (mix) {
            case "uniform" -> BenchmarkData.flows(rules, FLOWS, FLOW_SEED);
            case "zipf" -> BenchmarkData.zipf(BenchmarkData.flows(rules, ZIPF_POOL, FLOW_SEED), FLOWS, 1.0, FLOW_SEED);
            default -> throw new IllegalArgumentException("mix '" + mix + "' (expected: uniform or zipf)");
        };
        classifier = switch (kind) {
            case "indexed" -> new IndexedClassifier(rules);
            case "linear" -> new LinearClassifier(rules);
            default -> throw new IllegalArgumentException("kind '" + kind + "' (expected: indexed or linear)");
        };
    }

    /** Per-thread position in the flow array, so threads do not share a counter. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Benchmark
    public Classification classify(Cursor cursor) {
        return classifier.classify(flows[cursor.next++ & MASK]);
    }
}
