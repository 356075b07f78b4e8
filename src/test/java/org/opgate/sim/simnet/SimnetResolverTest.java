package org.opgate.sim.simnet;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opgate.config.SimnetRoute;
import org.opgate.config.SimnetRoute.ServerKind;
import org.opgate.config.SimnetSettings;
import org.opgate.flow.Flow;
import org.opgate.flow.IpPrefix;
import org.opgate.gateway.upstream.UpstreamTarget;
import org.opgate.gateway.upstream.UpstreamTarget.Refusal;
import org.opgate.source.SourceLocation;

/** Where flows go: routes, loopback literals, and real DNS only when opted in (stubbed here). */
final class SimnetResolverTest {

    private static final InetSocketAddress TLS = loopback(1, 10_443);
    private static final InetSocketAddress SINK = loopback(1, 10_009);
    private static final InetSocketAddress HTTP = loopback(1, 10_080);
    private static final Map<ServerKind, InetSocketAddress> SERVERS =
            Map.of(ServerKind.TLS, TLS, ServerKind.SINK, SINK, ServerKind.HTTP, HTTP);

    private static final List<SimnetRoute> ROUTES = List.of(
            SimnetServersTest.route("gb.srp.blackberry.com", ServerKind.SINK, "first"),
            SimnetServersTest.route("*.srp.blackberry.com", ServerKind.TLS, "SRP relay"),
            new SimnetRoute(null, IpPrefix.parse("68.171.224.0/19"), ServerKind.TLS, "SRP block",
                    SourceLocation.of("test", 3, 1)),
            SimnetServersTest.route("*.pushapi.na.blackberry.com", ServerKind.HTTP, "Push"),
            SimnetServersTest.route("*.bench.test", ServerKind.LOOPBACK, "bench echo"));

    private static ExecutorService dns;

    /** Names the stub DNS was asked, and on which thread. */
    private final List<String> asked = Collections.synchronizedList(new ArrayList<>());
    private final List<String> askedOn = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void startDnsThread() {
        dns = Executors.newSingleThreadExecutor(r -> new Thread(r, "simnet-test-dns"));
    }

    @AfterAll
    static void stopDnsThread() throws InterruptedException {
        dns.shutdownNow();
        assertThat(dns.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    private static InetSocketAddress loopback(int last, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last}), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private SimnetResolver resolver(boolean enabled, boolean realDns, boolean allowNonLoopback, InetAddress... answer) {
        SimnetSettings s = new SimnetSettings(enabled, ROUTES, realDns, allowNonLoopback);
        return new SimnetResolver(s, SERVERS::get, dns, name -> {
            asked.add(name);
            askedOn.add(Thread.currentThread().getName());
            if (answer.length == 0) {
                throw new UnknownHostException(name);
            }
            return answer;
        });
    }

    private SimnetResolver simulated() {
        return resolver(true, false, false);
    }

    private static UpstreamTarget get(Future<UpstreamTarget> f) throws Exception {
        return f.get(5, TimeUnit.SECONDS);
    }

    private static Flow.Builder flow() {
        return Flow.builder().port(443);
    }

    @Test
    void aRouteMatchesTheRequestedHost() throws Exception {
        UpstreamTarget t = get(simulated().resolve(flow().host("de.srp.blackberry.com").port(3101).build()));
        assertThat(t).isEqualTo(UpstreamTarget.of(TLS, "SRP relay"));
        assertThat(asked).isEmpty();
    }

    @Test
    void aRouteMatchesTheSni() throws Exception {
        UpstreamTarget t = get(simulated().resolve(flow().sni("cp42.pushapi.na.blackberry.com").build()));
        assertThat(t).isEqualTo(UpstreamTarget.of(HTTP, "Push"));
    }

    @Test
    void aRouteMatchesTheSniWhenTheRequestedHostIsUnknown() throws Exception {
        UpstreamTarget t = get(simulated().resolve(flow().host("front.example").sni("de.srp.blackberry.com").build()));
        assertThat(t).isEqualTo(UpstreamTarget.of(TLS, "SRP relay"));
    }

    @Test
    void aRouteMatchesTheDestinationAddressByCidr() throws Exception {
        UpstreamTarget t = get(simulated().resolve(flow().host("68.171.230.4").port(3101).build()));
        assertThat(t).isEqualTo(UpstreamTarget.of(TLS, "SRP block"));
    }

    @Test
    void theFirstMatchingRouteWins() throws Exception {
        UpstreamTarget t = get(simulated().resolve(flow().host("gb.srp.blackberry.com").build()));
        assertThat(t).isEqualTo(UpstreamTarget.of(SINK, "first"));
    }

    @Test
    void aLoopbackRouteSendsTheNameTo127001OnTheFlowsPort() throws Exception {
        UpstreamTarget t = get(simulated().resolve(flow().sni("echo.bench.test").port(40_001).build()));
        assertThat(t).isEqualTo(UpstreamTarget.of(loopback(1, 40_001), "bench echo"));
        assertThat(asked).isEmpty();
    }

    @Test
    void aLoopbackLiteralConnectsDirectlyToItsPort() throws Exception {
        assertThat(get(simulated().resolve(flow().host("127.0.0.9").port(8080).build())))
                .isEqualTo(UpstreamTarget.of(loopback(9, 8080), null));
        UpstreamTarget v6 = get(simulated().resolve(flow().host("[::1]").port(8080).build()));
        assertThat(v6.ok()).isTrue();
        assertThat(v6.address().getAddress().isLoopbackAddress()).isTrue();
        assertThat(v6.address().getPort()).isEqualTo(8080);
    }

    @Test
    void anUnknownNameIsUnknownInTheSimulatedNetwork() throws Exception {
        UpstreamTarget t = get(simulated().resolve(flow().host("www.example.org").build()));
        assertThat(t.kind()).isEqualTo(Refusal.UNKNOWN_HOST);
        assertThat(t.refusal()).isEqualTo("unknown host in the simulated network: www.example.org");
        assertThat(t.ok()).isFalse();
        assertThat(asked).isEmpty();
    }

    @Test
    void aNonLoopbackLiteralIsNotAllowedWithoutTheOptIn() throws Exception {
        UpstreamTarget t = get(simulated().resolve(flow().host("192.0.2.1").build()));
        assertThat(t.kind()).isEqualTo(Refusal.NOT_ALLOWED);
        assertThat(t.refusal()).contains("192.0.2.1").endsWith("(set simnet.allow-non-loopback: true to allow)");
    }

    @Test
    void disabledSimnetSkipsTheRoutes() throws Exception {
        SimnetResolver r = resolver(false, false, false);
        UpstreamTarget byName = get(r.resolve(flow().host("de.srp.blackberry.com").build()));
        UpstreamTarget byAddress = get(r.resolve(flow().host("68.171.230.4").build()));
        UpstreamTarget local = get(r.resolve(flow().host("127.0.0.9").port(8080).build()));
        assertThat(r.routeFor(flow().host("de.srp.blackberry.com").build())).isNull();
        assertThat(byName.kind()).isEqualTo(Refusal.UNKNOWN_HOST);
        assertThat(byName.refusal()).contains("de.srp.blackberry.com", "set simnet.real-dns: true");
        assertThat(byAddress.kind()).isEqualTo(Refusal.NOT_ALLOWED);
        assertThat(local).isEqualTo(UpstreamTarget.of(loopback(9, 8080), null));
        assertThat(asked).isEmpty();
    }

    @Test
    void realDnsIsNeverAskedWithoutTheOptIn() throws Exception {
        for (SimnetResolver r : List.of(resolver(true, false, false), resolver(false, false, true))) {
            get(r.resolve(flow().host("www.example.org").build()));
            get(r.resolve(flow().sni("mail.example.org").build()));
        }
        assertThat(asked).isEmpty();
    }

    @Test
    void realDnsRunsOnTheDnsExecutorNotTheCaller() throws Exception {
        SimnetResolver r = resolver(true, true, false, loopback(7, 0).getAddress());
        UpstreamTarget t = get(r.resolve(flow().host("app.example").port(8443).build()));
        assertThat(t).isEqualTo(UpstreamTarget.of(loopback(7, 8443), null));
        assertThat(asked).containsExactly("app.example");
        assertThat(askedOn).containsExactly("simnet-test-dns");
    }

    @Test
    void realDnsStillLetsRoutesGoFirst() throws Exception {
        SimnetResolver r = resolver(true, true, false, loopback(7, 0).getAddress());
        assertThat(get(r.resolve(flow().host("de.srp.blackberry.com").build()))).isEqualTo(UpstreamTarget.of(TLS, "SRP relay"));
        assertThat(asked).isEmpty();
    }

    @Test
    void realDnsPrefersALoopbackAnswer() throws Exception {
        SimnetResolver r = resolver(true, true, false,
                InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1}), loopback(2, 0).getAddress());
        assertThat(get(r.resolve(flow().host("app.example").build()))).isEqualTo(UpstreamTarget.of(loopback(2, 443), null));
    }

    @Test
    void realDnsAnswersOutsideLoopbackAreNotAllowedWithoutTheOptIn() throws Exception {
        SimnetResolver r = resolver(true, true, false, InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1}));
        UpstreamTarget t = get(r.resolve(flow().host("app.example").build()));
        assertThat(t.kind()).isEqualTo(Refusal.NOT_ALLOWED);
        assertThat(t.refusal()).isEqualTo("app.example resolves to [192.0.2.1], outside loopback"
                + " (set simnet.allow-non-loopback: true to allow)");
    }

    @Test
    void aNameRealDnsDoesNotKnowIsUnknown() throws Exception {
        UpstreamTarget t = get(resolver(true, true, false).resolve(flow().host("nowhere.invalid").build()));
        assertThat(t.kind()).isEqualTo(Refusal.UNKNOWN_HOST);
        assertThat(t.refusal()).contains("nowhere.invalid");
    }

    @Test
    void realDnsResolvesLocalhostWhenOptedIn() throws Exception {
        SimnetResolver r = new SimnetResolver(new SimnetSettings(true, ROUTES, true, false), SERVERS::get, dns);
        UpstreamTarget t = get(r.resolve(flow().host("localhost").port(8080).build()));
        assertThat(t.ok()).isTrue();
        assertThat(t.address().getAddress().isLoopbackAddress()).isTrue();
        assertThat(t.address().getPort()).isEqualTo(8080);
    }
}
