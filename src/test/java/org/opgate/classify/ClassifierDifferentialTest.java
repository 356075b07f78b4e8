package org.opgate.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.opgate.flow.Flow;
import org.opgate.flow.IpAddress;
import org.opgate.flow.IpPrefix;
import org.opgate.source.SourceLocation;

/**
 * {@link IndexedClassifier} must give exactly the answer of the reference {@link LinearClassifier}
 * (the same rule, or both {@code OTHER}) on seeded random, deliberately adversarial rule sets:
 * few labels so names nest and collide, exact and wildcard patterns of the same name, host+sni
 * combinations, nested IPv4/IPv6 prefixes (some written IPv4-mapped), port ranges whose ends the
 * flows probe, port-only rules, classes declared in several blocks, and rules repeated at later
 * positions.
 *
 * <p>Replay: {@code mvn test -Dtest=ClassifierDifferentialTest -Dopgate.seed=<seed>}; the failure
 * message names the seed, the rule set number and its own seed, the rules and the flow.
 */
final class ClassifierDifferentialTest {

    private static final long SEED = Long.getLong("opgate.seed", 0x0B5E_55ED_C1A5_51F1L);
    private static final int RULE_SETS = Integer.getInteger("opgate.ruleSets", 10_000);
    private static final int FLOWS_PER_SET = 20;

    @Test
    void indexedClassifierAgreesWithLinearOnRandomRuleSets() {
        Random seeds = new Random(SEED);
        int classified = 0;
        int matched = 0;
        int overlapping = 0;
        int[] decidedBy = new int[4];
        for (int set = 0; set < RULE_SETS; set++) {
            long setSeed = seeds.nextLong();
            Generator gen = new Generator(new Random(setSeed));
            RuleSet rules = gen.ruleSet();
            Classifier linear = new LinearClassifier(rules);
            Classifier indexed = new IndexedClassifier(rules);
            for (int i = 0; i < FLOWS_PER_SET; i++) {
                Flow flow = gen.flow();
                Classification expected = linear.classify(flow);
                Classification actual = indexed.classify(flow);
                if (!expected.equals(actual)) {
                    fail(mismatch(set, setSeed, rules, flow, expected, actual));
                }
                classified++;
                if (!expected.isOther()) {
                    matched++;
                    decidedBy[kind(expected.rule())]++;
                    if (rules.rules().stream().filter(r -> r.matches(flow)).count() > 1) {
                        overlapping++;
                    }
                }
            }
        }
        System.out.printf("seed %#x: %d rule sets, %d flows, %d matched (%d by several rules),"
                + " decided by host/sni/cidr/port-only rules: %d/%d/%d/%d%n", SEED, RULE_SETS, classified, matched,
                overlapping, decidedBy[0], decidedBy[1], decidedBy[2], decidedBy[3]);
        // Guard against a generator that drifts into trivial inputs: the comparison must be exercised.
        assertThat(matched).as("flows that some rule matched").isGreaterThan(classified / 4);
        assertThat(overlapping).as("flows that several rules matched").isGreaterThan(classified / 20);
        assertThat(IntStream.of(decidedBy).min().orElseThrow())
                .as("fewest flows decided by one kind of rule (host, sni, cidr, port-only)")
                .isGreaterThan(classified / 200);
    }

    /** How the index files the rule: 0 host, 1 sni, 2 cidr, 3 port-only. */
    private static int kind(EndpointRule r) {
        return r.host() != null ? 0 : r.sni() != null ? 1 : r.cidr() != null ? 2 : 3;
    }

    private static String mismatch(int set, long setSeed, RuleSet rules, Flow flow, Classification expected,
                                   Classification actual) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("IndexedClassifier differs from LinearClassifier%n"));
        sb.append(String.format("  seed %#x (-Dopgate.seed=%d), rule set #%d (its seed %#x)%n", SEED, SEED, set,
                setSeed));
        sb.append(String.format("  rules:%n"));
        for (EndpointRule r : rules.rules()) {
            sb.append(String.format("    %3d %-6s %-8s %s%n", r.position(), r.trafficClass(), r.id(), r.describe()));
        }
        sb.append(String.format("  flow: host=%s sni=%s ip=%s port=%d%n", flow.host(), flow.sni(), flow.ip(),
                flow.port()));
        sb.append(String.format("  linear:  %s%n", describe(expected)));
        sb.append(String.format("  indexed: %s%n", describe(actual)));
        return sb.toString();
    }

    private static String describe(Classification c) {
        return c.isOther() ? "OTHER" : c.trafficClass() + " by #" + c.rule().position() + " " + c.rule().id();
    }

    /** Rule sets and flows from one seeded random source; flows aim at the rules of the last set. */
    private static final class Generator {

        private static final String[] LABELS = {"a", "b", "x", "a", "b", "bü"};
        private static final String[] CLASSES = {"BES", "BBM", "BIS"};
        private static final int[] PORTS = {1, 2, 80, 443, 444, 3101, 3102, 8000, 8080, 65534, 65535};
        private static final int[] V4_LENGTHS = {0, 1, 8, 9, 16, 23, 24, 25, 30, 31, 32};
        private static final int[] V6_LENGTHS = {0, 1, 16, 32, 48, 63, 64, 65, 96, 112, 120, 127, 128};

        private final Random rnd;
        private final List<EndpointRule> rules = new ArrayList<>();
        private final List<String> names = new ArrayList<>();
        private final List<IpPrefix> prefixes = new ArrayList<>();
        private final TreeSet<Integer> portEdges = new TreeSet<>();

        Generator(Random rnd) {
            this.rnd = rnd;
        }

        RuleSet ruleSet() {
            rules.clear();
            names.clear();
            prefixes.clear();
            portEdges.clear();
            RuleSet.Builder b = RuleSet.builder();
            String current = pick(CLASSES);
            b.trafficClass(current, null, SourceLocation.NONE);
            int count = 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 40 : 10);
            for (int i = 0; i < count; i++) {
                if (rnd.nextInt(3) == 0) {
                    // A new block: another class, or the same one declared again.
                    current = pick(CLASSES);
                    b.trafficClass(current, null, SourceLocation.NONE);
                }
                EndpointRule shape = rules.isEmpty() || rnd.nextInt(6) != 0 ? null : pick(rules);
                HostPattern host;
                HostPattern sni;
                IpPrefix cidr;
                PortSet ports;
                if (shape != null && rnd.nextBoolean()) {
                    // The same fields again at a later position (shadowed, or in another class).
                    host = shape.host();
                    sni = shape.sni();
                    cidr = shape.cidr();
                    ports = shape.ports();
                } else if (shape != null && shape.host() != null) {
                    // Exact vs wildcard of the same name, with other fields redrawn.
                    host = new HostPattern(shape.host().name(), !shape.host().wildcard());
                    sni = rnd.nextInt(4) == 0 ? pattern() : null;
                    cidr = rnd.nextInt(4) == 0 ? prefix() : null;
                    ports = rnd.nextInt(3) == 0 ? portSet() : null;
                } else {
                    host = rnd.nextInt(100) < 45 ? pattern() : null;
                    sni = rnd.nextInt(100) < 30 ? pattern() : null;
                    cidr = rnd.nextInt(100) < 35 ? prefix() : null;
                    ports = rnd.nextInt(100) < 40 ? portSet() : null;
                    if (host == null && sni == null && cidr == null && ports == null) {
                        switch (rnd.nextInt(4)) {
                            case 0 -> host = pattern();
                            case 1 -> sni = pattern();
                            case 2 -> cidr = prefix();
                            default -> ports = portSet();
                        }
                    }
                }
                rules.add(b.rule(current, null, host, sni, cidr, ports, SourceLocation.NONE));
            }
            return b.build();
        }

        Flow flow() {
            Flow.Builder f = Flow.builder();
            int shape = rnd.nextInt(10);
            switch (shape) {
                case 0, 1 -> f.host(name());                          // host only
                case 2 -> f.sni(name());                              // SNI only
                case 3 -> {                                           // host and SNI equal
                    String n = name();
                    f.host(n).sni(rnd.nextBoolean() ? n : n.toUpperCase(Locale.ROOT) + ".");
                }
                case 4, 5 -> f.host(name()).sni(name());              // host and SNI (usually) differ
                case 6, 7 -> {                                        // IP-literal host, maybe ip too
                    IpAddress a = address();
                    f.host(literal(a));
                    if (rnd.nextBoolean()) {
                        f.ip(literal(a));
                    }
                    if (rnd.nextInt(4) == 0) {
                        f.sni(name());
                    }
                }
                default -> { }                                        // no name at all
            }
            boolean literalHost = shape == 6 || shape == 7;
            if (!literalHost && rnd.nextInt(shape >= 8 ? 5 : 3) != 0) {
                f.ip(literal(address()));                         // resolved or given destination
            }
            return f.port(port()).build();
        }

        private HostPattern pattern() {
            String n = rnd.nextInt(4) == 0 && !names.isEmpty() ? pick(names) : randomName(1 + rnd.nextInt(3));
            names.add(n);
            String spelled = rnd.nextInt(8) == 0 ? n.toUpperCase(Locale.ROOT) + "." : n;
            return HostPattern.parse((rnd.nextBoolean() ? "*." : "") + spelled);
        }

        private String randomName(int labels) {
            StringBuilder sb = new StringBuilder(pick(LABELS));
            for (int i = 1; i < labels; i++) {
                sb.append('.').append(pick(LABELS));
            }
            return sb.toString();
        }

        /** A rule's name, often with labels put in front; else any short name. */
        private String name() {
            if (names.isEmpty() || rnd.nextInt(4) == 0) {
                return randomName(1 + rnd.nextInt(4));
            }
            String n = pick(names);
            int extra = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(2) : 0;
            return extra == 0 ? n : randomName(extra) + "." + n;
        }

        private IpPrefix prefix() {
            if (!prefixes.isEmpty() && rnd.nextInt(3) == 0) {
                // Nest inside, or around, an earlier prefix.
                IpPrefix p = pick(prefixes);
                IpAddress inner = near(p, true);
                int max = inner.bitLength();
                // A flipped IPv6 bit can land on an IPv4-mapped address, which is IPv4: then go wider.
                IpPrefix q = rnd.nextBoolean() && p.length() < max && inner.isV4() == p.network().isV4()
                        ? new IpPrefix(inner, max).truncate(p.length() + 1 + rnd.nextInt(max - p.length()))
                        : p.truncate(rnd.nextInt(p.length() + 1));
                prefixes.add(q);
                return q;
            }
            IpAddress a = poolAddress();
            int[] lengths = a.isV4() ? V4_LENGTHS : V6_LENGTHS;
            IpPrefix p = new IpPrefix(a, a.bitLength()).truncate(lengths[rnd.nextInt(lengths.length)]);
            if (p.network().isV4() && rnd.nextInt(5) == 0) {
                // Written IPv4-mapped: must land in the IPv4 space.
                p = IpPrefix.parse("::ffff:" + p.network() + "/" + (96 + p.length()));
            }
            prefixes.add(p);
            return p;
        }

        /** A destination: inside or just outside a rule's prefix, or from the shared pool. */
        private IpAddress address() {
            if (!prefixes.isEmpty() && rnd.nextInt(4) != 0) {
                IpPrefix p = pick(prefixes);
                return switch (rnd.nextInt(4)) {
                    case 0 -> p.network();
                    case 1 -> lastAddress(p);
                    case 2 -> near(p, true);
                    default -> near(p, false);
                };
            }
            return poolAddress();
        }

        /** Addresses from a small pool, so that independently drawn prefixes nest and collide. */
        private IpAddress poolAddress() {
            if (rnd.nextInt(5) < 3) {
                int a = pick(new int[] {10, 192, 0, 255});
                int b = pick(new int[] {0, 1, 128, 255});
                int c = pick(new int[] {0, 1, 2, 255});
                int d = pick(new int[] {0, 1, 127, 128, 255});
                return IpAddress.ofV4(a << 24 | b << 16 | c << 8 | d);
            }
            long g0 = pick(new int[] {0x2001, 0xfe80, 0, 0xffff});
            long g1 = pick(new int[] {0xdb8, 0, 1});
            long g3 = pick(new int[] {0, 1, 0x8000});
            long g4 = pick(new int[] {0, 0x8000, 1});
            long g5 = pick(new int[] {0, 0xffff, 1});         // 0xffff: sometimes IPv4-mapped
            long g6 = pick(new int[] {0, 0xc000, 0x0a00});
            long g7 = pick(new int[] {0, 1, 2, 0xffff});
            return IpAddress.ofV6(g0 << 48 | g1 << 32 | g3, g4 << 48 | g5 << 32 | g6 << 16 | g7);
        }

        /** The prefix's network with one bit flipped: a host bit (inside) or a network bit (outside). */
        private IpAddress near(IpPrefix p, boolean inside) {
            int bits = p.network().bitLength();
            if (inside ? p.length() == bits : p.length() == 0) {
                return p.network();
            }
            int bit = inside ? p.length() + rnd.nextInt(bits - p.length()) : rnd.nextInt(p.length());
            return flip(p.network(), bit);
        }

        private static IpAddress lastAddress(IpPrefix p) {
            IpAddress a = p.network();
            for (int bit = p.length(); bit < a.bitLength(); bit++) {
                a = flip(a, bit);
            }
            return a;
        }

        private static IpAddress flip(IpAddress a, int bit) {
            if (a.isV4()) {
                return IpAddress.ofV4((int) (a.lo() ^ (1L << (31 - bit))));
            }
            return bit < 64
                    ? IpAddress.ofV6(a.hi() ^ (1L << (63 - bit)), a.lo())
                    : IpAddress.ofV6(a.hi(), a.lo() ^ (1L << (127 - bit)));
        }

        /** Text the builder parses: IPv4 sometimes spelled IPv4-mapped, IPv6 sometimes bracketed. */
        private String literal(IpAddress a) {
            if (a.isV4()) {
                return rnd.nextInt(4) == 0 ? "::ffff:" + a : a.toString();
            }
            return rnd.nextInt(4) == 0 ? "[" + a + "]" : a.toString();
        }

        private PortSet portSet() {
            int n = 1 + rnd.nextInt(rnd.nextInt(3) == 0 ? 3 : 1);
            List<int[]> pairs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int lo;
                int hi;
                switch (rnd.nextInt(4)) {
                    case 0, 1 -> lo = hi = pick(PORTS);
                    case 2 -> {
                        int x = pick(PORTS);
                        int y = pick(PORTS);
                        lo = Math.min(x, y);
                        hi = Math.max(x, y);
                    }
                    default -> {
                        lo = 1000 + rnd.nextInt(20);
                        hi = lo + rnd.nextInt(10);
                    }
                }
                pairs.add(new int[] {lo, hi});
            }
            PortSet ports = PortSet.of(pairs);
            ports.forEachRange((lo, hi) -> {
                portEdges.add(lo);
                portEdges.add(hi);
                portEdges.add(Math.max(1, lo - 1));
                portEdges.add(Math.min(65535, hi + 1));
            });
            return ports;
        }

        /** Mostly a range end of some rule, or one port beyond it. */
        private int port() {
            int r = rnd.nextInt(10);
            if (r < 6 && !portEdges.isEmpty()) {
                return pick(new ArrayList<>(portEdges));
            }
            return r < 9 ? pick(PORTS) : 1 + rnd.nextInt(65535);
        }

        private <T> T pick(List<T> list) {
            return list.get(rnd.nextInt(list.size()));
        }

        private String pick(String[] values) {
            return values[rnd.nextInt(values.length)];
        }

        private int pick(int[] values) {
            return values[rnd.nextInt(values.length)];
        }
    }
}
