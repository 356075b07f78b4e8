package org.opgate.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import org.opgate.classify.Classification;
import org.opgate.classify.Classifier;
import org.opgate.classify.IndexedClassifier;
import org.opgate.classify.RuleSet;
import org.opgate.flow.Flow;

/**
 * {@link ClassifyBenchmark}'s uniform case timed with the thread's CPU time instead of wall
 * time, for paired comparisons on a shared machine: run the old and the new classifier
 * alternately (the same harness, another class path) so both see the same load. CPU time leaves
 * out the time the thread waits for a core, not the cache lines other processes evict.
 * <pre>
 * java -cp [classes to test:]bench/target/benchmarks.jar org.opgate.bench.ClassifyCpuTime [ruleCounts] [runs] [calls]
 * </pre>
 * {@code ruleCounts} is a comma list (default {@code 10,100000}); each count warms up with
 * 300,000 calls, then times {@code runs} (5) runs of {@code calls} (2,000,000) calls over the
 * benchmark's 8,192 flows and prints the best and the median ns per call, then the best per flow
 * kind (each kind's flows alone, in the same order), then the best of building each flow from
 * its facts with {@link Flow#builder()} and classifying it (as {@link FlowBuildBenchmark} does).
 */
public final class ClassifyCpuTime {

    private ClassifyCpuTime() {
    }

    public static void main(String[] args) {
        String[] counts = (args.length > 0 ? args[0] : "10,100000").split(",");
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int calls = args.length > 2 ? Integer.parseInt(args[2]) : 2_000_000;
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (String count : counts) {
            int ruleCount = Integer.parseInt(count.trim());
            RuleSet rules = BenchmarkData.ruleSet(ruleCount, ClassifyBenchmark.RULE_SEED);
            Flow[] flows = BenchmarkData.flows(rules, ClassifyBenchmark.FLOWS, ClassifyBenchmark.FLOW_SEED);
            Classifier classifier = new IndexedClassifier(rules);
            time(cpu, classifier, flows, 300_000);
            double[] ns = new double[runs];
            for (int i = 0; i < runs; i++) {
                ns[i] = time(cpu, classifier, flows, calls);
            }
            Arrays.sort(ns);
            StringBuilder line = new StringBuilder(String.format("rules %d  all %.1f (median %.1f)", ruleCount,
                    ns[0], ns[runs / 2]));
            for (Kind kind : Kind.values()) {
                Flow[] subset = kind.select(flows, classifier);
                if (subset.length == 0) {
                    continue;
                }
                double best = Double.MAX_VALUE;
                for (int i = 0; i < Math.max(1, runs / 2); i++) {
                    best = Math.min(best, time(cpu, classifier, subset, calls / 2));
                }
                line.append(String.format("  %s[%d] %.1f", kind.label, subset.length, best));
            }
            FlowFacts[] facts = FlowFacts.of(flows);
            double built = Double.MAX_VALUE;
            for (int i = 0; i < Math.max(1, runs / 2); i++) {
                built = Math.min(built, timeBuild(cpu, classifier, facts, calls / 2));
            }
            line.append(String.format("  build+classify %.1f", built));
            System.out.println(line);
        }
    }

    /** CPU ns per call over {@code calls} calls cycling through {@code flows}. */
    private static double time(ThreadMXBean cpu, Classifier classifier, Flow[] flows, int calls) {
        return time(cpu, flows.length, calls, k -> classifier.classify(flows[k]));
    }

    /** CPU ns per flow built from its facts and classified, over {@code calls} calls. */
    private static double timeBuild(ThreadMXBean cpu, Classifier classifier, FlowFacts[] facts, int calls) {
        return time(cpu, facts.length, calls, k -> classifier.classify(facts[k].build()));
    }

    private static double time(ThreadMXBean cpu, int n, int calls, IntFunction<Classification> call) {
        int hits = 0;
        long start = cpu.getCurrentThreadCpuTime();
        for (int i = 0, k = 0; i < calls; i++) {
            // Compared by identity: reading the result would add a load the benchmark does not do.
            if (call.apply(k) != Classification.OTHER) {
                hits++;
            }
            if (++k == n) {
                k = 0;
            }
        }
        long spent = cpu.getCurrentThreadCpuTime() - start;
        if (hits < 0) {
            System.out.println(hits);
        }
        return (double) spent / calls;
    }

    /** Flow kinds, told apart by what the flow carries and what it is classified as. */
    private enum Kind {
        ADDRESS("address"),
        NAME_HIT("name-hit"),
        NAME_MISS("name-miss");

        final String label;

        Kind(String label) {
            this.label = label;
        }

        Flow[] select(Flow[] flows, Classifier classifier) {
            List<Flow> out = new ArrayList<>();
            for (Flow f : flows) {
                boolean named = f.host() != null || f.sni() != null;
                boolean hit = !classifier.classify(f).isOther();
                Kind k = !named ? ADDRESS : hit ? NAME_HIT : NAME_MISS;
                if (k == this) {
                    out.add(f);
                }
            }
            return out.toArray(new Flow[0]);
        }
    }
}
