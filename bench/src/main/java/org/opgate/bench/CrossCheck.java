package org.opgate.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.opgate.classify.Classification;
import org.opgate.classify.Classifier;
import org.opgate.classify.HostPattern;
import org.opgate.classify.IndexedClassifier;
import org.opgate.classify.LinearClassifier;
import org.opgate.classify.PortSet;
import org.opgate.classify.RuleSet;
import org.opgate.flow.Flow;
import org.opgate.flow.IpAddress;
import org.opgate.flow.IpPrefix;
import org.opgate.source.SourceLocation;

/**
 * Seeded differential check: {@link IndexedClassifier} must return the same rule as
 * {@link LinearClassifier} for every flow. Run after changing the index:
 * <pre>
 * java -cp bench/target/benchmarks.jar org.opgate.bench.CrossCheck [rounds] [seed]
 * </pre>
 * It compares many small dense rule sets whose
 * names, blocks and ports overlap on purpose (nested wildcards, host and sni on one rule, blocks
 * from /0 to /128, multi-range ports, unnormalised names and prefixes with host bits set, which
 * only the record constructors allow), then the benchmark's own rule sets and flows (the linear
 * pass over 100,000 rules takes most of the minute). Exits 1 on the first difference, printing it.
 */
public final class CrossCheck {

    private static final String[] LABELS = {"a", "b", "c", "x-1", "srp"};
    private static final long[] V4_BASES = {0x0A00_0000L, 0x0A00_0100L, 0xC0A8_0000L, 0x44AB_E000L};
    private static final long[] V6_BASES = {0x2001_0DB8_0000_0000L, 0x2001_0DB8_0001_0000L, 0x2A00_0000_0000_0000L};
    private static final int[] PORTS = {80, 443, 3101, 4101, 4103, 5222, 8080, 65535, 1};

    private CrossCheck() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1L;
        long flows = 0;
        Random r = new Random(seed);
        for (int round = 0; round < rounds; round++) {
            RuleSet rules = denseRules(r, 1 + r.nextInt(60));
            Flow[] fs = new Flow[400];
            for (int i = 0; i < fs.length; i++) {
                fs[i] = denseFlow(r);
            }
            flows += compare(rules, fs, "dense round " + round + " (seed " + seed + ")");
        }
        for (int size : new int[] {10, 1000, 100000}) {
            RuleSet rules = BenchmarkData.ruleSet(size, 20150715L);
            flows += compare(rules, BenchmarkData.flows(rules, 8192, 42L), "benchmark data, " + size + " rules");
        }
        System.out.println("CrossCheck: " + flows + " flows, indexed == linear");
    }

    private static long compare(RuleSet rules, Flow[] flows, String what) {
        Classifier linear = new LinearClassifier(rules);
        Classifier indexed = new IndexedClassifier(rules);
        for (Flow f : flows) {
            Classification want = linear.classify(f);
            Classification got = indexed.classify(f);
            boolean same = want.isOther() ? got.isOther() : !got.isOther() && got.rule().position() == want.rule().position();
            if (!same) {
                System.out.println("CrossCheck: MISMATCH in " + what + "\n  flow " + f + "\n  linear  "
                        + describe(want) + "\n  indexed " + describe(got));
                for (var rule : rules.rules()) {
                    System.out.println("  rule " + rule.position() + " " + rule.describe());
                }
                System.exit(1);
            }
        }
        return flows.length;
    }

    private static String describe(Classification c) {
        return c.isOther() ? "OTHER" : c.rule().position() + " " + c.rule().describe();
    }

    private static String name(Random r) {
        int labels = 1 + r.nextInt(4);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < labels; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(LABELS[r.nextInt(LABELS.length)]);
        }
        return sb.toString();
    }

    private static HostPattern pattern(Random r) {
        int roll = r.nextInt(100);
        if (roll < 2) {
            return new HostPattern("", r.nextBoolean());
        }
        if (roll < 4) {
            return new HostPattern("A." + name(r), r.nextBoolean());
        }
        return new HostPattern(name(r), r.nextBoolean());
    }

    private static IpAddress address(Random r, boolean v6) {
        if (!v6) {
            long base = V4_BASES[r.nextInt(V4_BASES.length)];
            return IpAddress.ofV4((int) (base ^ (r.nextInt(4) == 0 ? r.nextInt() : r.nextInt(512))));
        }
        long hi = V6_BASES[r.nextInt(V6_BASES.length)] ^ (r.nextInt(8) == 0 ? r.nextLong() : r.nextInt(4));
        long lo = r.nextInt(8) == 0 ? r.nextLong() : (long) r.nextInt(4) << (16 + r.nextInt(40)) | r.nextInt(300);
        return IpAddress.ofV6(hi, lo);
    }

    private static IpPrefix block(Random r) {
        boolean v6 = r.nextInt(3) == 0;
        IpAddress a = address(r, v6);
        int len = r.nextInt(a.bitLength() + 1);
        if (r.nextInt(40) == 0) {
            return new IpPrefix(a, len); // host bits probably set: never matches
        }
        IpPrefix p = new IpPrefix(a, a.bitLength()).truncate(len);
        if (!v6 && r.nextInt(20) == 0) {
            return IpPrefix.parse("::ffff:" + p.network() + "/" + (96 + len)); // IPv4-mapped spelling
        }
        return p;
    }

    private static PortSet ports(Random r) {
        int roll = r.nextInt(100);
        if (roll < 40) {
            return null;
        }
        List<int[]> ranges = new ArrayList<>();
        int n = roll < 85 ? 1 : 2 + r.nextInt(2);
        for (int i = 0; i < n; i++) {
            int lo = PORTS[r.nextInt(PORTS.length)];
            int hi = r.nextBoolean() ? lo : Math.min(65535, lo + r.nextInt(5));
            ranges.add(new int[] {lo, hi});
        }
        return PortSet.of(ranges);
    }

    private static RuleSet denseRules(Random r, int count) {
        RuleSet.Builder b = RuleSet.builder();
        b.trafficClass("A", null, SourceLocation.NONE).trafficClass("B", null, SourceLocation.NONE);
        for (int i = 0; i < count; i++) {
            HostPattern host = r.nextInt(100) < 45 ? pattern(r) : null;
            HostPattern sni = r.nextInt(100) < 30 ? pattern(r) : null;
            IpPrefix cidr = r.nextInt(100) < 45 ? block(r) : null;
            PortSet ports = ports(r);
            if (host == null && sni == null && cidr == null && ports == null) {
                ports = PortSet.single(PORTS[r.nextInt(PORTS.length)]);
            }
            b.rule(r.nextBoolean() ? "A" : "B", null, host, sni, cidr, ports, SourceLocation.NONE);
        }
        return b.build();
    }

    private static Flow denseFlow(Random r) {
        String host = null;
        IpAddress ip = null;
        int roll = r.nextInt(100);
        if (roll < 50) {
            host = r.nextInt(30) == 0 ? weird(r) : name(r);
        }
        String sni = r.nextInt(100) < 50 ? (host != null && r.nextBoolean() ? new String(host) : name(r)) : null;
        if (r.nextInt(100) < 70) {
            ip = address(r, r.nextInt(3) == 0);
        }
        int port = Math.max(1, Math.min(65535, PORTS[r.nextInt(PORTS.length)] + r.nextInt(3) - 1));
        return new Flow(host, sni, ip, port, null, null, null, null, null);
    }

    /** Names a Flow.Builder would refuse or normalise; the record constructor lets them through. */
    private static String weird(Random r) {
        String[] w = {"", ".", "a.", ".a", "a..b", "A.b", "x-1.SRP", "b.a."};
        return w[r.nextInt(w.length)];
    }
}
