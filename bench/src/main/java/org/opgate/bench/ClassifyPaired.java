package org.opgate.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.LongUnaryOperator;
import org.opgate.classify.Classification;
import org.opgate.classify.Classifier;
import org.opgate.classify.IndexedClassifier;
import org.opgate.classify.RuleSet;
import org.opgate.flow.Flow;

/**
 * Two builds of the classifier in one JVM, timed in alternating slices: {@link ClassifyBenchmark}'s
 * uniform case, for comparisons on a machine whose speed drifts by tens of percent within seconds
 * (a shared host's caches and cores). Each build's {@code org.opgate} classes are loaded by a
 * class loader of their own, ahead of this jar, so each has its own rules, flows, index and
 * compiled code; the slices alternate A, B, B, A, A, B, ... so both see the same minutes and
 * neither always goes first, and the report is each side's median and best CPU ns per call and
 * the median of the B/A ratios of neighbouring slices, which a drift common to both cancels out of.
 * <pre>
 * java -cp bench/target/benchmarks.jar org.opgate.bench.ClassifyPaired A B [ruleCount] [slices] [calls]
 * </pre>
 * {@code A} and {@code B} are class folders or jars (for example a copy of {@code target/classes}
 * from each version); {@code ruleCount} defaults to 100,000, {@code slices} per side to 30 and
 * {@code calls} per slice to 500,000. The JVM flags (such as huge pages) are the same for both.
 */
public final class ClassifyPaired {

    private ClassifyPaired() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ClassifyPaired A B [ruleCount] [slices] [calls]");
            System.exit(2);
        }
        int ruleCount = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        int slices = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        long calls = args.length > 4 ? Long.parseLong(args[4]) : 500_000;
        LongUnaryOperator a = side(args[0], ruleCount);
        LongUnaryOperator b = side(args[1], ruleCount);
        a.applyAsLong(3 * calls);
        b.applyAsLong(3 * calls);
        double[] nsA = new double[slices];
        double[] nsB = new double[slices];
        double[] ratio = new double[slices];
        for (int i = 0; i < slices; i++) {
            // Which side goes first alternates too, so that neither always follows the other.
            if (i % 2 == 0) {
                nsA[i] = (double) a.applyAsLong(calls) / calls;
                nsB[i] = (double) b.applyAsLong(calls) / calls;
            } else {
                nsB[i] = (double) b.applyAsLong(calls) / calls;
                nsA[i] = (double) a.applyAsLong(calls) / calls;
            }
            ratio[i] = nsB[i] / nsA[i];
        }
        System.out.printf("%,d rules, %d slices of %,d calls each, CPU ns per call:%n", ruleCount, slices, calls);
        System.out.printf("  A %-40s median %6.1f  best %6.1f%n", args[0], median(nsA), min(nsA));
        System.out.printf("  B %-40s median %6.1f  best %6.1f%n", args[1], median(nsB), min(nsB));
        System.out.printf("  B/A of neighbouring slices: median %.3f  (quartiles %.3f .. %.3f)%n",
                median(ratio), quantile(ratio, 0.25), quantile(ratio, 0.75));
    }

    /** One build's timer: applied to a call count, classifies that many flows and returns the CPU ns spent. */
    private static LongUnaryOperator side(String classes, int ruleCount) throws Exception {
        URL own = ClassifyPaired.class.getProtectionDomain().getCodeSource().getLocation();
        ClassLoader loader = new OwnFirst(new URL[] {url(classes), own}, ClassifyPaired.class.getClassLoader());
        return (LongUnaryOperator) Class.forName(Timer.class.getName(), true, loader)
                .getConstructor(int.class).newInstance(ruleCount);
    }

    private static URL url(String path) throws MalformedURLException {
        return Path.of(path).toAbsolutePath().toUri().toURL();
    }

    /** Loads {@code org.opgate} classes itself, ahead of its parent; everything else from the parent. */
    private static final class OwnFirst extends URLClassLoader {
        OwnFirst(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("org.opgate.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }

    /** The benchmark's rules, flows and index, loaded by one side's class loader. */
    public static final class Timer implements LongUnaryOperator {
        private final ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        private final Classifier classifier;
        private final Flow[] flows;
        private int next;
        private long others;

        public Timer(int ruleCount) {
            RuleSet rules = BenchmarkData.ruleSet(ruleCount, ClassifyBenchmark.RULE_SEED);
            flows = BenchmarkData.flows(rules, ClassifyBenchmark.FLOWS, ClassifyBenchmark.FLOW_SEED);
            classifier = new IndexedClassifier(rules);
        }

        @Override
        public long applyAsLong(long calls) {
            long start = cpu.getCurrentThreadCpuTime();
            for (long i = 0; i < calls; i++) {
                // Compared by identity: reading the result would add a load the benchmark does not do.
                if (classifier.classify(flows[next++ & ClassifyBenchmark.MASK]) == Classification.OTHER) {
                    others++;
                }
            }
            long spent = cpu.getCurrentThreadCpuTime() - start;
            if (others == -1) {
                System.out.println(); // keeps the count, and so the calls, alive
            }
            return spent;
        }
    }

    private static double median(double[] xs) {
        return quantile(xs, 0.5);
    }

    private static double quantile(double[] xs, double q) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[(int) Math.round(q * (s.length - 1))];
    }

    private static double min(double[] xs) {
        return Arrays.stream(xs).min().orElse(Double.NaN);
    }
}
