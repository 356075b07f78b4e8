package org.opgate.bench;

import java.util.concurrent.TimeUnit;
import org.opgate.classify.Classification;
import org.opgate.classify.IndexedClassifier;
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
 * What {@link ClassifyBenchmark} leaves out: building the {@link Flow} from the facts the gateway
 * has (host text or address literal, SNI, resolved address, port) with {@link Flow#builder()},
 * which normalises the names and lays them out for the index ({@code NameKey}), alone
 * ({@code build}) and followed by {@link IndexedClassifier#classify} ({@code buildAndClassify}).
 * The gateway builds each flow once, so these two are its cost per connection; the flows and
 * rules are {@link ClassifyBenchmark}'s uniform mix. Allocates (the flow and its parts).
 * <pre>
 * bench/run FlowBuildBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FlowBuildBenchmark {

    @Param({"10", "100000"})
    int ruleCount;

    private IndexedClassifier classifier;
    private FlowFacts[] facts;

    @Setup(Level.Trial)
    public void setUp() {
        RuleSet rules = BenchmarkData.ruleSet(ruleCount, ClassifyBenchmark.RULE_SEED);
        facts = FlowFacts.of(BenchmarkData.flows(rules, ClassifyBenchmark.FLOWS, ClassifyBenchmark.FLOW_SEED));
        classifier = new IndexedClassifier(rules);
    }

    @Benchmark
    public Flow build(ClassifyBenchmark.Cursor cursor) {
        return facts[cursor.next++ & ClassifyBenchmark.MASK].build();
    }

    @Benchmark
    public Classification buildAndClassify(ClassifyBenchmark.Cursor cursor) {
        return classifier.classify(facts[cursor.next++ & ClassifyBenchmark.MASK].build());
    }
}
