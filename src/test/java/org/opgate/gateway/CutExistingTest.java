package org.opgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opgate.testing.GatewayHarness.BBM_HOST;
import static org.opgate.testing.GatewayHarness.BEFORE_DEADLINE;
import static org.opgate.testing.GatewayHarness.BES_HOST;
import static org.opgate.testing.GatewayHarness.DEADLINE;
import static org.opgate.testing.GatewayHarness.NOTICE;

import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.gateway.enforce.Tunnel;
import org.opgate.policy.Verdict;
import org.opgate.testing.Await;
import org.opgate.testing.GatewayHarness;
import org.opgate.testing.Socks5Client;
import org.opgate.testing.Wire;

/**
 * {@code cut-existing}: when the gateway clock reaches the BES deadline (by a set, a jump, or by
 * running at a simulated rate), every open BES tunnel is closed, on each listener kind, and
 * tunnels of other classes go on.
 */
final class CutExistingTest {

    private static GatewayHarness gw;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        gw = GatewayHarness.builder().start(dir);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @BeforeEach
    void reset() {
        gw.clock().pause();
        gw.clock().setRate(1);
        gw.clock().set(BEFORE_DEADLINE);
        gw.awaitNoTunnels();
        gw.clearRecords();
    }

    @AfterEach
    void stopClock() {
        gw.clock().pause();
    }

    private static Predicate<Tunnel> besOn(String listener) {
        return t -> t.listener().equals(listener) && "BES".equals(t.outcome().trafficClass());
    }

    /** Moves the clock to the deadline and checks that {@code client}'s tunnel was cut. */
    private static void assertCutAtTheDeadline(Socket client, Tunnel tunnel) throws Exception {
        gw.clock().set(DEADLINE);

        assertThat(Wire.awaitEnd(client)).isIn("closed", "reset");
        GatewayHarness.Cut cut = Await.value(() -> gw.cuts().stream().filter(c -> c.tunnel() == tunnel).findFirst()
                .orElse(null), "a cut of tunnel " + tunnel.id());
        assertThat(cut.boundary()).isEqualTo(DEADLINE);
        assertThat(cut.tunnel().outcome().decision().verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(cut.tunnel().endReason()).isEqualTo("cut");
        Await.until(() -> !gw.tunnels().tunnels().contains(tunnel), "the cut tunnel to leave the registry");
    }

    @Test
    void httpTunnelOfBesIsCutAtTheDeadline() throws Exception {
        try (Socket s = Wire.connectTunnel(gw.http(), BES_HOST + ":3101")) {
            Tunnel t = gw.awaitTunnel(besOn("http"), "BES on http");
            assertThat(t.outcome().decision().verdict()).isEqualTo(Verdict.NOTIFY);

            assertCutAtTheDeadline(s, t);
        }
    }

    @Test
    void socks5TunnelOfBesIsCutAtTheDeadline() throws Exception {
        try (Socket s = Socks5Client.tunnel(gw.socks5(), BES_HOST, 3101)) {
            assertCutAtTheDeadline(s, gw.awaitTunnel(besOn("socks5"), "BES on socks5"));
        }
    }

    @Test
    void sniTunnelOfBesIsCutAtTheDeadline() throws Exception {
        try (Socket raw = Wire.connect(gw.sniSrp());
             SSLSocket tls = Wire.tls(raw, BES_HOST)) {
            assertCutAtTheDeadline(raw, gw.awaitTunnel(besOn("sni-srp"), "BES on sni-srp"));
        }
    }

    @Test
    void bbmTunnelStaysOpenWhileTheBesTunnelIsCut() throws Exception {
        try (Socket bes = Wire.connectTunnel(gw.http(), BES_HOST + ":3101");
             Socket bbmRaw = Wire.connectTunnel(gw.http(), BBM_HOST + ":443");
             SSLSocket bbm = Wire.tls(bbmRaw, BBM_HOST)) {
            Tunnel besTunnel = gw.awaitTunnel(besOn("http"), "BES on http");
            Tunnel bbmTunnel = gw.awaitTunnel(t -> "BBM".equals(t.outcome().trafficClass()), "BBM on http");

            assertCutAtTheDeadline(bes, besTunnel);

            assertThat(gw.cuts()).noneMatch(c -> c.tunnel() == bbmTunnel);
            assertThat(gw.tunnels().tunnels()).contains(bbmTunnel);
            assertThat(Wire.get(bbm, BBM_HOST).body()).contains("BBM consumer app service");
        }
    }

    @Test
    void jumpAcrossSeveralBoundariesWhileRunningCutsAtTheDeadline() throws Exception {
        // Before the notice: the policy has no phase yet, so BES is simply allowed.
        gw.clock().set(NOTICE.minus(Duration.ofDays(1)));
        gw.clock().setRate(3600);
        gw.clock().resume();
        try (Socket s = Wire.connectTunnel(gw.http(), BES_HOST + ":3101")) {
            Tunnel t = gw.awaitTunnel(besOn("http"), "BES on http");
            assertThat(t.outcome().decision().verdict()).isEqualTo(Verdict.ALLOW);

            // One jump passes the notice (notify: nothing to cut) and the deadline (block, cut).
            gw.clock().jump(Duration.ofDays(200));

            assertThat(Wire.awaitEnd(s)).isIn("closed", "reset");
            GatewayHarness.Cut cut = Await.value(() -> gw.cuts().stream().filter(c -> c.tunnel() == t).findFirst()
                    .orElse(null), "a cut of the BES tunnel");
            assertThat(cut.boundary()).isEqualTo(DEADLINE);
            assertThat(gw.cuts()).hasSize(1);
        }
    }

    @Test
    void clockRunningAtASimulatedRateCutsWhenItReachesTheDeadline() throws Exception {
        gw.clock().set(DEADLINE.minusSeconds(30));
        try (Socket s = Wire.connectTunnel(gw.http(), BES_HOST + ":3101")) {
            Tunnel t = gw.awaitTunnel(besOn("http"), "BES on http");

            // 30 simulated seconds at 60 per real second: the timer, not a jump, crosses the deadline.
            gw.clock().setRate(60);
            gw.clock().resume();

            assertThat(Wire.awaitEnd(s)).isIn("closed", "reset");
            assertThat(Await.value(() -> gw.cuts().stream().filter(c -> c.tunnel() == t).findFirst().orElse(null),
                    "a cut of the BES tunnel").boundary()).isEqualTo(DEADLINE);
        }
    }

    @Test
    void newBesFlowAfterTheCutIsRefused() throws Exception {
        gw.clock().set(DEADLINE);
        try (Socket s = Wire.connect(gw.http())) {
            assertThat(Wire.connectRequest(s, BES_HOST + ":3101").status()).isEqualTo(403);
        }
    }
}
