package org.opgate.bench;

import java.util.concurrent.TimeUnit;
import org.opgate.classify.Classification;
import org.opgate.classify.IndexedClassifier;
import org.opgate.classify.RuleSet;
import org.opgate.flow.Flow;
import org.opgate.flow.IpAddress;
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

    private static final int FLOWS = 1 << 13;
    private static final int MASK = FLOWS - 1;

    @Param({"10", "100000"})
    int ruleCount;

    private IndexedClassifier classifier;
    private String[] hosts;
    private String[] snis;
    private IpAddress[] resolved;
    private int[] ports;

    @Setup(Level.Trial)
    public void setUp() {
        RuleSet rules = BenchmarkData.ruleSet(ruleCount, 20150715L);
        Flow[] flows = BenchmarkData.flows(rules, FLOWS, 42L);
        classifier = new IndexedClassifier(rules);
        hosts = new String[FLOWS];
        snis = new String[FLOWS];
        resolved = new IpAddress[FLOWS];
        ports = new int[FLOWS];
        for (int i = 0; i < FLOWS; i++) {
            Flow f = flows[i];
            boolean literal = f.host() == null && f.sni() == null;
            hosts[i] = literal ? f.ip().toString() : f.host();
            snis[i] = f.sni();
            resolved[i] = literal ? null : f.ip();
            ports[i] = f.port();
        }
    }

    /** Per-thread position in the input arrays. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Benchmark
    public Flow build(Cursor cursor) {
        return flow(cursor.next++ & MASK);
    }

    @Benchmark
    public Classification buildAndClassify(Cursor cursor) {
        return classifier.classify(flow(cursor.next++ & MASK));
    }

    private Flow flow(int i) {
        return Flow.builder().host(hosts[i]).sni(snis[i]).ip(resolved[i]).port(ports[i]).build();
    }
}
