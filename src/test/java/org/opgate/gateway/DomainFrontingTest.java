package org.opgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opgate.testing.GatewayHarness.BEFORE_DEADLINE;
import static org.opgate.testing.GatewayHarness.BES_HOST;
import static org.opgate.testing.GatewayHarness.DEADLINE;
import static org.opgate.testing.GatewayHarness.SINK_HOST;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.gateway.enforce.Tunnel;
import org.opgate.policy.Verdict;
import org.opgate.testing.Await;
import org.opgate.testing.ClientHellos;
import org.opgate.testing.GatewayHarness;
import org.opgate.testing.Socks5Client;
import org.opgate.testing.Wire;

/**
 * Domain fronting: a tunnel accepted for a BBM name whose ClientHello then names a BES host.
 * A test class makes BES SRP names on 443 a class of their own, blocked from the deadline; the
 * BBM name used is routed to simnet's sink, which counts every byte that reaches it.
 */
final class DomainFrontingTest {

    private static final String CLASSES = """
            classes:
              - name: BES-TLS
                description: BES SRP hosts reached over TLS on 443 (test class for domain fronting)
                rules:
                  - id: bes-srp-443
                    sni: "*.srp.blackberry.com"
                    ports: [443]
            """;
    private static final String POLICIES = """
            policies:
              - id: test-bes-tls
                class: BES-TLS
                zone: Asia/Karachi
                phases:
                  - from: 2015-12-01T00:00
                    action: block
            """;

    private static GatewayHarness gw;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        gw = GatewayHarness.builder().classes("fronting.yaml", CLASSES).policies("fronting.yaml", POLICIES).start(dir);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @BeforeEach
    void reset() {
        gw.clock().set(BEFORE_DEADLINE);
        gw.awaitNoTunnels();
        gw.clearRecords();
    }

    /** Checks the reset tunnel: its decision was revised to a fronting block, and nothing went upstream. */
    private static void assertFrontingRefused(String listener, long sinkBefore) throws InterruptedException {
        GatewayHarness.Decided d = gw.awaitDecision(x -> x.listener().equals(listener) && x.outcome().revised(),
                "the revised decision on " + listener);
        assertThat(d.outcome().fronting()).isTrue();
        assertThat(d.outcome().decision().verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(d.outcome().decision().reason()).contains("domain fronting", SINK_HOST, BES_HOST);
        assertThat(d.outcome().flow().host()).isEqualTo(SINK_HOST);
        assertThat(d.outcome().flow().sni()).isEqualTo(BES_HOST);

        Tunnel t = Await.value(() -> gw.closedTunnels().stream().filter(x -> x.listener().equals(listener)).findFirst()
                .orElse(null), "the fronted tunnel to close");
        assertThat(t.endReason()).isEqualTo("refused-sni");
        assertThat(t.bytesUp()).isZero();
        // The upstream is closed already; a byte relayed before that would have been counted by now.
        Thread.sleep(200);
        assertThat(gw.simnet().sinkBytesReceived()).isEqualTo(sinkBefore);
    }

    @Test
    void frontedSniOfABlockedClassResetsTheHttpTunnelBeforeAnyClientByteGoesUpstream() throws Exception {
        gw.clock().set(DEADLINE);
        long sinkBefore = gw.simnet().sinkBytesReceived();
        try (Socket s = Wire.connectTunnel(gw.http(), SINK_HOST + ":443")) {
            Wire.send(s, ClientHellos.of(BES_HOST));

            assertThat(Wire.awaitEnd(s)).isEqualTo("reset");
        }
        assertFrontingRefused("http", sinkBefore);
    }

    @Test
    void frontedSniOfABlockedClassResetsTheSocksTunnelBeforeAnyClientByteGoesUpstream() throws Exception {
        gw.clock().set(DEADLINE);
        long sinkBefore = gw.simnet().sinkBytesReceived();
        try (Socket s = Socks5Client.tunnel(gw.socks5(), SINK_HOST, 443)) {
            // Split across two writes: the peek must wait for the whole hello before anything moves.
            byte[] hello = ClientHellos.of(BES_HOST);
            Wire.send(s, Arrays.copyOfRange(hello, 0, 40));
            Wire.send(s, Arrays.copyOfRange(hello, 40, hello.length));

            assertThat(Wire.awaitEnd(s)).isEqualTo("reset");
        }
        assertFrontingRefused("socks5", sinkBefore);
    }

    @Test
    void frontingBeforeTheBlockIsRecordedAndRelayedUnchanged() throws Exception {
        long sinkBefore = gw.simnet().sinkBytesReceived();
        byte[] hello = ClientHellos.of(BES_HOST);
        try (Socket s = Wire.connectTunnel(gw.http(), SINK_HOST + ":443")) {
            Wire.send(s, hello);

            Await.until(() -> gw.simnet().sinkBytesReceived() - sinkBefore == hello.length,
                    "the whole ClientHello to reach the sink");
            GatewayHarness.Decided d = gw.awaitDecision(x -> x.outcome().revised(), "the revised decision");
            assertThat(d.outcome().fronting()).isTrue();
            assertThat(d.outcome().decision().verdict()).isEqualTo(Verdict.ALLOW);
            assertThat(d.outcome().trafficClass()).isEqualTo("BBM");
        }
    }

    @Test
    void frontedHelloSentRightBehindTheConnectRequestIsPeekedAsWell() throws Exception {
        gw.clock().set(DEADLINE);
        long sinkBefore = gw.simnet().sinkBytesReceived();
        try (Socket s = Wire.connect(gw.http())) {
            // One write: the request and the hello together, before any answer.
            Wire.send(s, ClientHellos.concat(("CONNECT " + SINK_HOST + ":443 HTTP/1.1\r\nHost: " + SINK_HOST
                    + ":443\r\n\r\n").getBytes(StandardCharsets.US_ASCII), ClientHellos.of(BES_HOST)));

            assertThat(Wire.readReply(s.getInputStream(), false).status()).isEqualTo(200);
            assertThat(Wire.awaitEnd(s)).isEqualTo("reset");
        }
        assertFrontingRefused("http", sinkBefore);
    }
}
