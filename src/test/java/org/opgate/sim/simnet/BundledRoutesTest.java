package org.opgate.sim.simnet;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.classify.EndpointRule;
import org.opgate.classify.HostPattern;
import org.opgate.config.ConfigLoader;
import org.opgate.config.OpgateConfig;
import org.opgate.config.SimnetRoute;
import org.opgate.config.SimnetRoute.ServerKind;
import org.opgate.config.SimnetSettings;
import org.opgate.flow.Flow;
import org.opgate.flow.IpPrefix;
import org.opgate.gateway.upstream.UpstreamTarget;

/**
 * The bundled simnet routes cover every endpoint of the bundled classes, including the modern
 * file that opgate.yaml leaves commented out, so {@code opgate run} reaches a server offline.
 */
final class BundledRoutesTest {

    private static final List<String> FILES = List.of("classes/blackberry.yaml", "classes/blackberry-modern.yaml",
            "policies/pta-2015.yaml");

    private static OpgateConfig bundled;
    private static OpgateConfig withModern;

    @BeforeAll
    static void load(@TempDir Path dir) throws Exception {
        bundled = ConfigLoader.load(Path.of("config"));
        String main = Files.readString(Path.of("config/opgate.yaml"))
                .replace("  # - classes/blackberry-modern.yaml", "  - classes/blackberry-modern.yaml");
        for (String f : FILES) {
            Files.createDirectories(dir.resolve(f).getParent());
            Files.writeString(dir.resolve(f), Files.readString(Path.of("config", f)));
        }
        Files.writeString(dir.resolve("opgate.yaml"), main);
        withModern = ConfigLoader.load(dir);
        assertThat(withModern.rules().rules()).extracting(EndpointRule::id).contains("bes12-bbsecure");
    }

    @Test
    void bundledSimnetKeepsTheWorldClosed() {
        SimnetSettings s = bundled.simnet();
        assertThat(s.enabled()).isTrue();
        assertThat(s.realDns()).isFalse();
        assertThat(s.allowNonLoopback()).isFalse();
    }

    @Test
    void everyHostAndCidrOfEveryBundledRuleIsInsideOneRoute() {
        List<SimnetRoute> routes = bundled.simnet().routes();
        assertThat(withModern.rules().rules()).isNotEmpty().allSatisfy(rule -> {
            assertThat(rule.isPortOnly()).as("rule %s has a name or an address to route", rule.id()).isFalse();
            for (HostPattern p : new HostPattern[] {rule.host(), rule.sni()}) {
                if (p != null) {
                    assertThat(routes).as("a route whose host covers %s of rule %s", p, rule.id())
                            .anySatisfy(r -> assertThat(r.host() != null && r.host().contains(p)).isTrue());
                }
            }
            IpPrefix cidr = rule.cidr();
            if (cidr != null) {
                assertThat(routes).as("a route whose cidr covers %s of rule %s", cidr, rule.id())
                        .anySatisfy(r -> assertThat(r.cidr() != null && r.cidr().contains(cidr)).isTrue());
            }
        });
    }

    @Test
    void everyBundledRuleResolvesToABuiltInServer() {
        // No DNS executor is needed: every bundled endpoint must resolve by route alone.
        SimnetResolver resolver = new SimnetResolver(bundled.simnet(), BundledRoutesTest::fakeServer, Runnable::run,
                name -> {
                    throw new AssertionError("real DNS asked for " + name);
                });
        assertThat(withModern.rules().rules()).allSatisfy(rule -> {
            Flow.Builder f = Flow.builder().port(rule.ports() == null ? 443 : firstPort(rule));
            if (rule.host() != null) {
                f.host(rule.host().example());
            } else if (rule.sni() != null) {
                f.sni(rule.sni().example());
            } else {
                f.ip(rule.cidr().network());
            }
            Future<UpstreamTarget> answer = resolver.resolve(f.build());
            UpstreamTarget t = answer.get(5, TimeUnit.SECONDS);
            assertThat(t.ok()).as("rule %s: %s", rule.id(), t.refusal()).isTrue();
            assertThat(t.address().getAddress().isLoopbackAddress()).isTrue();
        });
    }

    @Test
    void besAndBbmEndpointsGoToTheTlsServer() {
        SimnetResolver resolver = new SimnetResolver(bundled.simnet(), BundledRoutesTest::fakeServer, Runnable::run);
        assertThat(withModern.rules().rules()).filteredOn(r -> !r.trafficClass().equals("BIS")).allSatisfy(rule -> {
            Flow f = rule.host() != null
                    ? Flow.builder().host(rule.host().example()).port(443).build()
                    : Flow.builder().ip(rule.cidr().network()).port(3101).build();
            assertThat(resolver.routeFor(f)).as("route of rule %s", rule.id())
                    .extracting(SimnetRoute::server).isEqualTo(ServerKind.TLS);
        });
    }

    private static int firstPort(EndpointRule rule) {
        for (int p = 1; p <= 65535; p++) {
            if (rule.ports().contains(p)) {
                return p;
            }
        }
        throw new AssertionError("rule " + rule.id() + " allows no port");
    }

    private static InetSocketAddress fakeServer(ServerKind kind) {
        return new InetSocketAddress(NetUtil.LOCALHOST4, 20_000 + kind.ordinal());
    }
}
