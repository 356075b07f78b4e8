package org.opgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.testing.GatewayHarness;
import org.opgate.testing.Socks5Client;
import org.opgate.testing.Wire;

/**
 * Loopback destinations are allowed, but not the gateway's own sockets: a client must not reach
 * the admin API (or loop into a listener) through a listener. With {@code allow-remote} that
 * would open the loopback-only admin API to other hosts.
 */
final class OwnSocketsTest {

    private static GatewayHarness gw;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        // Off loopback allowed, as a gateway may be: the unspecified address is still this host.
        gw = GatewayHarness.builder().admin().allowNonLoopback().start(dir);
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

    private static String target(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    @Test
    void aConnectToTheAdminApiThroughTheHttpListenerIsRefused() throws Exception {
        try (Socket s = Wire.connect(gw.http())) {
            Wire.HttpReply r = Wire.connectRequest(s, target(gw.admin()));

            assertThat(r.status()).isEqualTo(502);
            assertThat(r.header("X-Opgate-Reason")).contains("the gateway's own admin API");
        }
        assertThat(gw.awaitRefusal("http", "not-allowed").detail()).contains(target(gw.admin()));
    }

    @Test
    void aConnectToTheUnspecifiedAddressOnTheAdminPortIsRefused() throws Exception {
        try (Socket s = Wire.connect(gw.http())) {
            Wire.HttpReply r = Wire.connectRequest(s, "0.0.0.0:" + gw.admin().getPort());

            assertThat(r.status()).isEqualTo(502);
            assertThat(r.header("X-Opgate-Reason")).contains("the gateway's own admin API");
        }
    }

    @Test
    void aForwardRequestToTheAdminApiIsRefused() throws Exception {
        try (Socket s = Wire.connect(gw.http())) {
            Wire.send(s, "GET http://" + target(gw.admin()) + "/health HTTP/1.1\r\nHost: " + target(gw.admin()) + "\r\n\r\n");
            Wire.HttpReply r = Wire.readReply(s.getInputStream(), false);

            assertThat(r.status()).isEqualTo(502);
            assertThat(r.body()).contains("the gateway's own admin API").doesNotContain("\"status\"");
        }
    }

    @Test
    void aSocks5ConnectToTheGatewaysOwnListenerGetsReply02() throws Exception {
        try (Socket s = Wire.connect(gw.socks5())) {
            Socks5Client.greet(s, Socks5Client.NO_AUTH);

            Socks5Client.Reply r = Socks5Client.request(s, Socks5Client.CMD_CONNECT, gw.http().getAddress(), gw.http().getPort());

            assertThat(r.status()).isEqualTo(2);
        }
        assertThat(gw.awaitRefusal("socks5", "not-allowed").detail()).contains("listener 'http'");
    }
}
