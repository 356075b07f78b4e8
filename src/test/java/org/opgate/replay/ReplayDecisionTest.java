package org.opgate.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.config.ConfigLoader;
import org.opgate.clock.SimulatedClock;
import org.opgate.config.ListenerSpec;
import org.opgate.config.OpgateConfig;
import org.opgate.flow.IpAddress;
import org.opgate.gateway.GatewayObserver;
import org.opgate.gateway.GatewayRuntime;
import org.opgate.gateway.enforce.Decider;
import org.opgate.gateway.enforce.Outcome;
import org.opgate.replay.CaptureWriter.Link;
import org.opgate.replay.Replay.ReplayedFlow;
import org.opgate.testing.ClientHellos;

/** Deciding captured flows: the flow the rules see, the instant, and the operators. */
final class ReplayDecisionTest {

    @TempDir
    Path dir;

    private Capture capture(CaptureWriter w) throws Exception {
        Path file = dir.resolve("c.pcap");
        w.writePcap(file, ByteOrder.LITTLE_ENDIAN, false);
        return CaptureAnalyzer.analyze(file);
    }

    /** The bundled config with the BES policy binding only mobilink and ufone. */
    private OpgateConfig twoOperatorConfig() throws Exception {
        Path copy = dir.resolve("config");
        try (Stream<Path> files = Files.walk(Path.of("config"))) {
            for (Path p : files.toList()) {
                Path to = copy.resolve(Path.of("config").relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        Path policy = copy.resolve("policies/pta-2015.yaml");
        Files.writeString(policy, Files.readString(policy).replace("    operators: all\n",
                "    operators: [mobilink, ufone]\n"));
        return ConfigLoader.load(copy);
    }

    @Test
    void operatorsThatDisagreeGetAVerdictEachGroup() throws Exception {
        Capture c = capture(DemoCaptures.ethernet());

        Replay.Report r = Replay.decide(c, twoOperatorConfig(), null);

        assertThat(r.flows().get(0).verdictText()).isEqualTo("mobilink,ufone block; telenor,zong,warid allow");
        assertThat(r.summary()).containsEntry(List.of("BES", "mobilink,ufone block; telenor,zong,warid allow"), 2);
    }

    @Test
    void aClientInAnOperatorsPoolIsDecidedForThatOperatorOnly() throws Exception {
        Capture c = capture(new CaptureWriter(DemoCaptures.START)
                .tcp(Link.ETHERNET, "127.3.0.9", 50001, "203.0.113.10", 3101,
                        ClientHellos.of("gb.srp.blackberry.com"), 1000)
                .tcp(Link.ETHERNET, "127.2.0.9", 50002, "203.0.113.10", 3101,
                        ClientHellos.of("gb.srp.blackberry.com"), 1000));

        Replay.Report r = Replay.decide(c, twoOperatorConfig(), null);

        assertThat(r.flows()).extracting(f -> f.outcomes().get(0).operators(), ReplayedFlow::verdictText)
                .containsExactly(tuple(List.of("telenor"), "allow"), tuple(List.of("ufone"), "block"));
    }

    @Test
    void eachFlowIsDecidedAtItsFirstPacketUnlessAtIsGiven() throws Exception {
        OpgateConfig cfg = ConfigLoader.load(Path.of("config"));
        Instant deadline = Instant.parse("2015-11-30T19:00:00Z");
        Capture c = capture(new CaptureWriter(deadline.minusMillis(3))
                .tcp(Link.ETHERNET, "10.0.0.5", 50001, "203.0.113.10", 3101, ClientHellos.of("gb.srp.blackberry.com"),
                        1000)
                .tcp(Link.ETHERNET, "10.0.0.5", 50002, "203.0.113.10", 3101, ClientHellos.of("de.srp.blackberry.com"),
                        1000));

        assertThat(Replay.decide(c, cfg, null).flows()).extracting(ReplayedFlow::at, ReplayedFlow::verdictText)
                .containsExactly(tuple(deadline.minusMillis(3), "notify"), tuple(deadline.plusMillis(3), "block"));
        assertThat(Replay.decide(c, cfg, deadline).flows()).extracting(ReplayedFlow::verdictText)
                .containsExactly("block", "block");
    }

    @Test
    void aConnectRequestIsClassifiedByItsTargetNotTheProxy() throws Exception {
        Capture c = capture(new CaptureWriter(DemoCaptures.START)
                .tcp(Link.ETHERNET, "10.0.0.5", 50001, "192.0.2.1", 8080,
                        CaptureWriter.http("CONNECT 68.171.224.5:3101 HTTP/1.1\n\n"), 1000));

        ReplayedFlow f = Replay.decide(c, ConfigLoader.load(Path.of("config")), null).flows().get(0);

        assertThat(f.flow().ip()).hasToString("68.171.224.5");
        assertThat(f.flow().port()).isEqualTo(3101);
        assertThat(f.rule()).isEqualTo("bes-srp-68.171.224");
        assertThat(f.verdictText()).isEqualTo("block");
    }

    /** What the gateway's {@link Decider} makes of a tunnel: decided on its target, then revised by the SNI. */
    private static Outcome gateway(OpgateConfig cfg, Instant at, String listener, String host, int port, String user,
                                   String client, String sni) {
        Decider decider = new Decider(() -> GatewayRuntime.of(cfg), new SimulatedClock(at, 1, true), GatewayObserver.NONE);
        ListenerSpec spec = cfg.listeners().stream().filter(l -> l.name().equals(listener)).findFirst().orElseThrow();
        return decider.revise(decider.decide(spec, host, null, port, user, IpAddress.parse(client)), sni);
    }

    @Test
    void tunnelsAreDecidedAsTheGatewayDecidesThem() throws Exception {
        OpgateConfig cfg = ConfigLoader.load(Path.of("config"));
        byte[] fronted = ClientHellos.of("gb.srp.blackberry.com");
        Capture c = capture(new CaptureWriter(DemoCaptures.START)
                .exchange(Link.ETHERNET, "10.9.0.1", 50001, "192.0.2.1", 1080, 1000,
                        ProxyHandshakes.greeting(2), ProxyHandshakes.SOCKS5_CHOSE_PASSWORD,
                        ProxyHandshakes.auth("923331234567", "x"), ProxyHandshakes.SOCKS5_AUTH_OK,
                        ProxyHandshakes.request("gb.srp.blackberry.com", 3101), ProxyHandshakes.SOCKS5_SUCCEEDED,
                        ClientHellos.withoutSni())
                .exchange(Link.ETHERNET, "127.3.0.9", 50002, "192.0.2.1", 3128, 1000,
                        ProxyHandshakes.connect("www.example.com:3101"), ProxyHandshakes.CONNECT_OK, fronted)
                .exchange(Link.ETHERNET, "127.2.0.9", 50003, "192.0.2.1", 3128, 1000,
                        ProxyHandshakes.connect("goods.bbm.blackberry.com:443"), ProxyHandshakes.CONNECT_OK,
                        ClientHellos.of("goods.bbm.blackberry.com"))
                .exchange(Link.ETHERNET, "127.4.0.9", 50004, "192.0.2.1", 1080, 1000,
                        ProxyHandshakes.greeting(0), ProxyHandshakes.SOCKS5_CHOSE_NO_AUTH,
                        ProxyHandshakes.request(IpAddress.parse("68.171.224.5"), 3101), ProxyHandshakes.SOCKS5_SUCCEEDED,
                        ClientHellos.of("bis.na.blackberry.com")));

        List<ReplayedFlow> replayed = Replay.decide(c, cfg, null).flows();

        assertThat(replayed).hasSize(4);
        for (ReplayedFlow f : replayed) {
            CapturedFlow cf = f.captured();
            Outcome o = gateway(cfg, f.at(), cf.tunnel().equals("socks5") ? "socks5" : "http", cf.host(), cf.tunnelPort(),
                    cf.user(), cf.client().toString(), cf.sni());
            assertThat(f.outcomes()).as("flow at packet %s", cf.firstPacket()).singleElement().satisfies(r -> {
                assertThat(r.operators()).containsExactly(o.flow().operator());
                assertThat(r.verdict()).isEqualTo(o.decision().verdict());
                assertThat(r.policy()).isEqualTo(o.decision().policyId());
            });
            assertThat(f.classification().trafficClass()).isEqualTo(o.trafficClass());
            assertThat(f.fronting()).isEqualTo(o.fronting());
            assertThat(f.flow()).isEqualTo(o.flow());
        }
        assertThat(replayed).extracting(f -> f.outcomes().get(0).operators().get(0), f -> f.classification().trafficClass(),
                ReplayedFlow::verdictText, ReplayedFlow::fronting)
                .containsExactly(tuple("ufone", "BES", "block", false), tuple("telenor", "BES", "block", true),
                        tuple("ufone", "BBM", "allow", false), tuple("zong", "BES", "block", false));
    }
}
