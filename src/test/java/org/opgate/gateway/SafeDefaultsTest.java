package org.opgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opgate.testing.GatewayHarness.BBM_HOST;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.testing.ClientHellos;
import org.opgate.testing.GatewayHarness;
import org.opgate.testing.Socks5Client;
import org.opgate.testing.Wire;

/**
 * Never an open proxy, never off loopback: a client outside every operator's pool is refused on
 * the socks5 and sni listeners too (the http one: HttpConnectTest), and in simulated mode a
 * destination outside loopback is refused before any connection is tried (the resolver says
 * not-allowed, never connect-failed).
 */
final class SafeDefaultsTest {

    private static final String OUTSIDER = "127.9.0.1"; // in no operator's pool of the test config

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
        gw.clearRecords();
    }

    @Test
    void socks5ClientOutsideEveryPoolGetsReply02() throws Exception {
        try (Socket s = Wire.connectFrom(InetAddress.getByName(OUTSIDER), gw.socks5())) {
            assertThat(Socks5Client.greet(s, Socks5Client.NO_AUTH)).isZero();
            assertThat(Socks5Client.request(s, Socks5Client.CMD_CONNECT, BBM_HOST, 443).status()).isEqualTo(2);
        }
        assertThat(gw.awaitDecision("socks5", BBM_HOST).outcome().decision().reason()).contains("operator unknown");
        assertThat(gw.tunnels().size()).isZero();
    }

    @Test
    void sniClientOutsideEveryPoolIsReset() throws Exception {
        try (Socket s = Wire.connectFrom(InetAddress.getByName(OUTSIDER), gw.sni())) {
            Wire.send(s, ClientHellos.of(BBM_HOST));
            assertThat(Wire.awaitEnd(s)).isIn("reset", "closed");
        }
        assertThat(gw.awaitDecision("sni", BBM_HOST).outcome().allowed()).isFalse();
        assertThat(gw.tunnels().size()).isZero();
    }

    @Test
    void httpConnectToAnAddressOutsideLoopbackIsRefusedWithoutConnecting() throws Exception {
        try (Socket s = Wire.connect(gw.http())) {
            assertThat(Wire.connectRequest(s, "10.1.2.3:443").status()).isEqualTo(502);
        }
        assertThat(gw.awaitRefusal("http", "not-allowed").detail()).contains("10.1.2.3");
    }

    @Test
    void socks5ConnectToAnAddressOutsideLoopbackGetsReply02WithoutConnecting() throws Exception {
        try (Socket s = Wire.connect(gw.socks5())) {
            Socks5Client.greet(s, Socks5Client.NO_AUTH);
            assertThat(Socks5Client.request(s, Socks5Client.CMD_CONNECT, InetAddress.getByName("192.0.2.7"), 443).status())
                    .isEqualTo(2);
        }
        assertThat(gw.awaitRefusal("socks5", "not-allowed").detail()).contains("192.0.2.7");
    }
}
