package org.opgate.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.opgate.classify.EndpointRule;
import org.opgate.classify.HostPattern;
import org.opgate.classify.PortSet;
import org.opgate.classify.RuleSet;
import org.opgate.flow.Flow;
import org.opgate.flow.IpAddress;
import org.opgate.flow.IpPrefix;
import org.opgate.source.SourceLocation;

/**
 * Deterministic benchmark inputs: rule sets that look like an operator's endpoint lists, and
 * flows that hit and miss them the way gateway traffic does. The same size and seed always give
 * the same rules and flows, so numbers from different runs and machines compare.
 *
 * <p>A rule set of {@code n} rules mixes, in random file order and spread over {@link #CLASSES}:
 * <ul>
 *   <li>about 45% {@code host} rules, a little over half exact names like
 *       {@code cdn-123.eu.example-417.com}, the rest {@code *.suffix} on a registrable domain or
 *       a region below it; names come from a pool of about {@code n/6} domains, so several rules
 *       share a domain as in real lists;</li>
 *   <li>about 15% {@code sni} rules of the same shapes;</li>
 *   <li>about 40% {@code cidr} rules, 85% IPv4 with prefix lengths 8..32 (mostly /20../32, few
 *       shorter than /16), 15% IPv6 /32../64 in 2000::/3;</li>
 *   <li>on 40% of the name and address rules, {@code ports}: a single port or a small range;</li>
 *   <li>a few port-only rules (at most five) on ports that ordinary web flows do not use.</li>
 * </ul>
 *
 * <p>A flow mix is, by construction: 25% requested-host hits (HTTP CONNECT to a name a host
 * rule matches, half with the same SNI), 15% SNI hits (sni listener, SNI only), 15% address hits
 * (SOCKS5 to an IP literal inside a cidr rule), and 45% misses by host, SNI and address, on names
 * from a disjoint domain pool and random addresses. Every flow that has a name also has a
 * resolved destination address, as in the gateway. "Hit" and "miss" describe how a flow was
 * made; an address can still fall into some rule's block by chance, and an earlier rule can
 * win, which is exactly what the classifiers must get right.
 */
public final class BenchmarkData {

    /** Classes the rules are spread over. */
    static final String[] CLASSES = {"BES", "BBM", "BIS", "MAIL", "VOIP", "CDN", "UPDATES", "ADS"};

    private static final String[] RULE_WORDS = {"example", "blackberry", "mail", "media", "cloud", "stream",
        "push", "sync", "relay", "secure", "edge", "static", "video", "chat", "gateway", "content"};
    private static final String[] MISS_WORDS = {"shop", "news", "bank", "game", "travel", "wiki", "music",
        "sport", "weather", "maps"};
    private static final String[] TLDS = {"com", "com", "com", "net", "net", "org", "io", "de", "co.uk",
        "com.pk", "ae", "in"};
    private static final String[] REGIONS = {"eu", "us", "ap", "gb", "pk", "in", "sa", "ae"};
    private static final String[] SERVICES = {"cdn", "api", "push", "mx", "www", "srp", "bis", "sync", "img",
        "gw", "login", "m", "media", "static", "edge"};
    private static final int[] RULE_PORTS = {443, 443, 80, 8080, 3101, 5228, 993, 995, 587, 5223, 2195};
    private static final int[][] RULE_RANGES = {{8000, 8010}, {4101, 4105}, {5060, 5061}, {3478, 3481},
        {6881, 6889}, {9000, 9009}};
    /** Port-only rules use ports that the flows' default web ports (443, 80, 8080) never meet. */
    private static final int[][] PORT_ONLY = {{3101, 3101}, {4101, 4105}, {5222, 5223}, {1935, 1935},
        {5060, 5061}};

    private BenchmarkData() {
    }

    /**
     * A rule set of exactly {@code count} rules.
     *
     * @param count number of rules, at least 1
     * @param seed  seed of the generator
     */
    public static RuleSet ruleSet(int count, long seed) {
        if (count < 1) {
            throw new IllegalArgumentException("rule count " + count + " (expected: at least 1)");
        }
        Random r = new Random(seed);
        List<String> domains = domains(r, Math.max(3, count / 6), RULE_WORDS);
        RuleSet.Builder b = RuleSet.builder();
        for (String c : CLASSES) {
            b.trafficClass(c, c + " endpoints (generated)", SourceLocation.NONE);
        }
        int portOnly = Math.max(1, Math.min(PORT_ONLY.length, count / 200));
        Set<Integer> portOnlyAt = new LinkedHashSet<>();
        while (portOnlyAt.size() < portOnly) {
            portOnlyAt.add(r.nextInt(count));
        }
        int nextPortOnly = 0;
        for (int i = 0; i < count; i++) {
            String cls = CLASSES[r.nextInt(CLASSES.length)];
            String id = cls.toLowerCase(Locale.ROOT) + "-" + i;
            SourceLocation at = SourceLocation.of("bench-rules.yaml", i + 1, 5);
            if (portOnlyAt.contains(i)) {
                int[] p = PORT_ONLY[nextPortOnly++];
                b.rule(cls, id, null, null, null, PortSet.of(List.of(p)), at);
                continue;
            }
            int kind = r.nextInt(100);
            PortSet ports = rulePorts(r);
            if (kind < 45) {
                b.rule(cls, id, namePattern(r, domains), null, null, ports, at);
            } else if (kind < 60) {
                b.rule(cls, id, null, namePattern(r, domains), null, ports, at);
            } else {
                b.rule(cls, id, null, null, r.nextInt(100) < 85 ? v4Block(r) : v6Block(r), ports, at);
            }
        }
        return b.build();
    }

    /**
     * {@code count} flows against {@code rules} (see the class comment for the mix).
     *
     * @param rules rule set the hits are drawn from
     * @param count number of flows
     * @param seed  seed of the generator
     */
    public static Flow[] flows(RuleSet rules, int count, long seed) {
        Random r = new Random(seed);
        List<EndpointRule> byHost = new ArrayList<>();
        List<EndpointRule> bySni = new ArrayList<>();
        List<EndpointRule> byCidr = new ArrayList<>();
        for (EndpointRule e : rules.rules()) {
            if (e.host() != null) {
                byHost.add(e);
            }
            if (e.sni() != null || e.host() != null) {
                bySni.add(e);
            }
            if (e.cidr() != null) {
                byCidr.add(e);
            }
        }
        List<String> missDomains = domains(r, 500, MISS_WORDS);
        Flow[] flows = new Flow[count];
        for (int i = 0; i < count; i++) {
            int kind = r.nextInt(100);
            Flow.Builder f = Flow.builder();
            if (kind < 25 && !byHost.isEmpty()) {
                EndpointRule e = byHost.get(r.nextInt(byHost.size()));
                String name = nameIn(r, e.host());
                f.host(name).sni(r.nextBoolean() ? name : null).ip(resolved(r)).port(portFor(r, e));
            } else if (kind < 40 && !bySni.isEmpty()) {
                EndpointRule e = bySni.get(r.nextInt(bySni.size()));
                String name = nameIn(r, e.sni() != null ? e.sni() : e.host());
                f.sni(name).ip(resolved(r)).port(portFor(r, e));
            } else if (kind < 55 && !byCidr.isEmpty()) {
                EndpointRule e = byCidr.get(r.nextInt(byCidr.size()));
                f.host(addressIn(r, e.cidr()).toString()).port(portFor(r, e));
            } else if (kind < 75) {
                String name = hostName(r, missDomains);
                f.host(name).sni(r.nextBoolean() ? name : null).ip(resolved(r)).port(webPort(r));
            } else if (kind < 85) {
                f.sni(hostName(r, missDomains)).ip(resolved(r)).port(webPort(r));
            } else {
                f.host(resolved(r).toString()).port(webPort(r));
            }
            flows[i] = f.build();
        }
        return flows;
    }

    /**
     * {@code count} flows drawn from {@code pool} with Zipf weights: the flow at rank {@code k}
     * (pool order, which is random) comes with weight {@code 1 / k^exponent}. Models traffic that
     * goes mostly to a few popular destinations.
     */
    public static Flow[] zipf(Flow[] pool, int count, double exponent, long seed) {
        double[] cumulative = new double[pool.length];
        double sum = 0;
        for (int k = 0; k < pool.length; k++) {
            sum += 1 / Math.pow(k + 1, exponent);
            cumulative[k] = sum;
        }
        Random r = new Random(seed);
        Flow[] out = new Flow[count];
        for (int i = 0; i < count; i++) {
            int k = Arrays.binarySearch(cumulative, r.nextDouble() * sum);
            out[i] = pool[Math.min(pool.length - 1, k < 0 ? -k - 1 : k)];
        }
        return out;
    }

    private static List<String> domains(Random r, int count, String[] words) {
        Set<String> out = new LinkedHashSet<>();
        while (out.size() < count) {
            out.add(words[r.nextInt(words.length)] + "-" + r.nextInt(1000) + "." + TLDS[r.nextInt(TLDS.length)]);
        }
        return new ArrayList<>(out);
    }

    /** {@code cdn-123.eu.example-417.com}, {@code www.media-12.net}, {@code push.gb.sync-9.co.uk}. */
    private static String hostName(Random r, List<String> domains) {
        String domain = domains.get(r.nextInt(domains.size()));
        String service = SERVICES[r.nextInt(SERVICES.length)];
        if (r.nextInt(100) < 60) {
            service += "-" + r.nextInt(r.nextBoolean() ? 10 : 1000);
        }
        return r.nextInt(100) < 50
                ? service + "." + REGIONS[r.nextInt(REGIONS.length)] + "." + domain
                : service + "." + domain;
    }

    private static HostPattern namePattern(Random r, List<String> domains) {
        int roll = r.nextInt(100);
        if (roll < 55) {
            return HostPattern.parse(hostName(r, domains));
        }
        String domain = domains.get(r.nextInt(domains.size()));
        return HostPattern.parse(roll < 80 ? "*." + domain : "*." + REGIONS[r.nextInt(REGIONS.length)] + "." + domain);
    }

    /** A name {@code p} matches: itself if exact; for {@code *.x} mostly a name below x. */
    private static String nameIn(Random r, HostPattern p) {
        if (!p.wildcard() || r.nextInt(100) < 10) {
            return p.name();
        }
        String service = SERVICES[r.nextInt(SERVICES.length)] + "-" + r.nextInt(100);
        return r.nextBoolean() ? service + "." + p.name() : service + "." + REGIONS[r.nextInt(REGIONS.length)] + "." + p.name();
    }

    /** None (60%), one port (25%) or a small range (15%). */
    private static PortSet rulePorts(Random r) {
        int roll = r.nextInt(100);
        if (roll < 60) {
            return null;
        }
        if (roll < 85) {
            return PortSet.single(RULE_PORTS[r.nextInt(RULE_PORTS.length)]);
        }
        return PortSet.of(List.of(RULE_RANGES[r.nextInt(RULE_RANGES.length)]));
    }

    private static int portFor(Random r, EndpointRule e) {
        if (e.ports() == null) {
            return webPort(r);
        }
        List<int[]> ranges = new ArrayList<>();
        e.ports().forEachRange((lo, hi) -> ranges.add(new int[] {lo, hi}));
        int[] range = ranges.get(r.nextInt(ranges.size()));
        return range[0] + r.nextInt(range[1] - range[0] + 1);
    }

    private static int webPort(Random r) {
        int roll = r.nextInt(100);
        return roll < 80 ? 443 : roll < 95 ? 80 : 8080;
    }

    /** A public-looking unicast IPv4 address (first octet 1..223, not 10 or 127). */
    private static int v4(Random r) {
        while (true) {
            int a = r.nextInt();
            int first = a >>> 24;
            if (first >= 1 && first <= 223 && first != 10 && first != 127) {
                return a;
            }
        }
    }

    /** A destination as a resolver would return it: IPv4 mostly, some IPv6. */
    private static IpAddress resolved(Random r) {
        if (r.nextInt(100) < 90) {
            return IpAddress.ofV4(v4(r));
        }
        return IpAddress.ofV6(0x2000_0000_0000_0000L | (r.nextLong() >>> 3), r.nextLong());
    }

    /** Mostly /20../32 as in operator lists; a few /16../19, rarely shorter. */
    private static IpPrefix v4Block(Random r) {
        int roll = r.nextInt(1000);
        int len;
        if (roll < 1) {
            len = 8 + r.nextInt(4);
        } else if (roll < 21) {
            len = 12 + r.nextInt(4);
        } else if (roll < 171) {
            len = 16 + r.nextInt(4);
        } else if (roll < 651) {
            len = 20 + r.nextInt(5);
        } else {
            len = 25 + r.nextInt(8);
        }
        long mask = (0xFFFF_FFFFL << (32 - len)) & 0xFFFF_FFFFL;
        return IpPrefix.parse(IpAddress.ofV4((int) (v4(r) & mask)) + "/" + len);
    }

    private static final int[] V6_LENGTHS = {32, 32, 36, 40, 44, 48, 48, 48, 56, 64};

    private static IpPrefix v6Block(Random r) {
        int len = V6_LENGTHS[r.nextInt(V6_LENGTHS.length)];
        long hi = (0x2000_0000_0000_0000L | (r.nextLong() >>> 3)) & (-1L << (64 - len));
        return IpPrefix.parse(IpAddress.ofV6(hi, 0) + "/" + len);
    }

    private static IpAddress addressIn(Random r, IpPrefix p) {
        IpAddress n = p.network();
        int len = p.length();
        if (n.isV4()) {
            long host = len == 32 ? 0 : r.nextInt() & (0xFFFF_FFFFL >>> len);
            return IpAddress.ofV4((int) (n.lo() | host));
        }
        long hiHost = len >= 64 ? 0 : r.nextLong() & (-1L >>> len);
        return IpAddress.ofV6(n.hi() | hiHost, r.nextLong());
    }
}
