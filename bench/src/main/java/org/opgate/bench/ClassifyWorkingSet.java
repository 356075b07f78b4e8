package org.opgate.bench;

import java.util.Arrays;
import org.opgate.classify.Classification;
import org.opgate.classify.Classifier;
import org.opgate.classify.IndexedClassifier;
import org.opgate.classify.RuleSet;
import org.opgate.flow.Flow;

/**
 * Where {@link ClassifyBenchmark}'s 100,000-rule figure comes from: the same rules and flows,
 * timed (wall clock, best of three rounds) over flow arrays that differ in one thing at a time.
 * <pre>
 * java -cp bench/target/benchmarks.jar org.opgate.bench.ClassifyWorkingSet [ruleCount]
 * </pre>
 * <ul>
 *   <li>the first 256, 1,024, 2,048, 4,096 and all 8,192 flows: how the cost grows with the
 *       number of distinct destinations in play;</li>
 *   <li>8,192 new flow objects that name only the first 256 flows' destinations: as much flow
 *       memory streamed as the full array, but few distinct index entries;</li>
 *   <li>the 8,192 flows with their names only (address dropped) and with their address only
 *       (names dropped): which index the time goes to.</li>
 * </ul>
 * Not a JMH benchmark: a diagnosis that needs the machine to itself, like the JMH runs.
 */
public final class ClassifyWorkingSet {

    private static final int WARM_CALLS = 10_000_000;
    private static final int CALLS = 20_000_000;

    private ClassifyWorkingSet() {
    }

    public static void main(String[] args) {
        int ruleCount = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        RuleSet rules = BenchmarkData.ruleSet(ruleCount, ClassifyBenchmark.RULE_SEED);
        Classifier classifier = new IndexedClassifier(rules);
        Flow[] all = BenchmarkData.flows(rules, ClassifyBenchmark.FLOWS, ClassifyBenchmark.FLOW_SEED);
        Flow[] repeated = new Flow[all.length];
        Flow[] names = new Flow[all.length];
        Flow[] addresses = new Flow[all.length];
        for (int i = 0; i < all.length; i++) {
            Flow f = all[i];
            Flow first = all[i & 255];
            repeated[i] = new Flow(first.host(), first.sni(), first.ip(), first.port(), null, null, null, null, null);
            boolean named = f.sni() != null || f.host() != null && !f.host().equals(String.valueOf(f.ip()));
            names[i] = named ? new Flow(f.host(), f.sni(), null, f.port(), null, null, null, null, null) : f;
            addresses[i] = f.ip() != null ? new Flow(null, null, f.ip(), f.port(), null, null, null, null, null) : f;
        }
        System.out.printf("%,d rules; ns per classify, best of 3 rounds of %,d calls%n", ruleCount, CALLS);
        for (int n : new int[] {256, 1024, 2048, 4096, all.length}) {
            report(n + " flows", classifier, Arrays.copyOf(all, n));
        }
        report("8192 flow objects naming 256 flows' destinations", classifier, repeated);
        report("8192 flows, names only", classifier, names);
        report("8192 flows, addresses only", classifier, addresses);
    }

    private static void report(String what, Classifier classifier, Flow[] flows) {
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            best = Math.min(best, time(classifier, flows));
        }
        System.out.printf("  %-52s %8.1f%n", what, best);
    }

    private static double time(Classifier classifier, Flow[] flows) {
        int mask = flows.length - 1;
        long others = 0;
        for (int i = 0; i < WARM_CALLS; i++) {
            others += classifier.classify(flows[i & mask]) == Classification.OTHER ? 1 : 0;
        }
        long start = System.nanoTime();
        for (int i = 0; i < CALLS; i++) {
            others += classifier.classify(flows[i & mask]) == Classification.OTHER ? 1 : 0;
        }
        long elapsed = System.nanoTime() - start;
        if (others == -1) {
            System.out.println(); // keeps the count, and so the calls, alive
        }
        return (double) elapsed / CALLS;
    }
}
