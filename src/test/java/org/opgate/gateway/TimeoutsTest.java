package org.opgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opgate.testing.GatewayHarness.BBM_HOST;

import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.gateway.enforce.Tunnel;
import org.opgate.testing.Await;
import org.opgate.testing.GatewayHarness;
import org.opgate.testing.LoopbackServer;
import org.opgate.testing.Socks5Client;
import org.opgate.testing.Wire;

/**
 * Handshake and idle timeouts, both set to one second: short for a test, long enough that a
 * loaded machine still finishes a good handshake in time.
 */
final class TimeoutsTest {

    private static GatewayHarness gw;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        gw = GatewayHarness.builder()
                .limit("handshake-timeout", "1s")
                .limit("idle-timeout", "1s")
                .start(dir);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @BeforeEach
    void reset() {
        gw.clearRecords();
    }

    @Test
    void httpClientThatSendsNoRequestGets408() throws Exception {
        try (Socket s = Wire.connect(gw.http())) {
            Wire.HttpReply r = Wire.readReply(s.getInputStream(), false);

            assertThat(r.status()).isEqualTo(408);
            assertThat(r.header("X-Opgate-Reason")).contains("1000 ms");
            assertThat(Wire.awaitEnd(s)).isIn("closed", "reset");
        }
        gw.awaitRefusal("http", "handshake-timeout");
    }

    @Test
    void socksClientThatStopsAfterTheGreetingIsClosed() throws Exception {
        try (Socket s = Wire.connect(gw.socks5())) {
            Socks5Client.greet(s, Socks5Client.NO_AUTH);

            assertThat(Wire.awaitEnd(s)).isIn("closed", "reset");
        }
        gw.awaitRefusal("socks5", "handshake-timeout");
    }

    @Test
    void tunnelWithoutTrafficIsClosedAfterTheIdleTimeout() throws Exception {
        try (LoopbackServer echo = LoopbackServer.echo();
             Socket s = Wire.connectTunnel(gw.http(), echo.target())) {
            Tunnel t = gw.awaitTunnel(x -> x.outcome().flow().port() == echo.address().getPort(), "to the echo");

            assertThat(Wire.awaitEnd(s)).isIn("closed", "reset");
            Await.until(() -> gw.closedTunnels().contains(t), "the idle tunnel to be reported closed");
            assertThat(t.endReason()).isEqualTo("timeout");
        }
    }

    @Test
    void spliceRemovesTheHandshakeTimeoutSoATunnelOutlivesIt() throws Exception {
        try (Socket s = Wire.connectTunnel(gw.http(), BBM_HOST + ":443");
             Socket tls = Wire.tls(s, BBM_HOST)) {
            // Well past the handshake timeout, kept busy so the idle timeout does not strike.
            for (int i = 0; i < 8; i++) {
                Thread.sleep(200);
                Wire.send(tls, "ping\n");
                assertThat(tls.getInputStream().readNBytes(5)).containsExactly('p', 'i', 'n', 'g', '\n');
            }
        }
        assertThat(gw.refusals()).noneMatch(r -> r.listener().equals("http"));
    }
}
