package org.opgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opgate.testing.GatewayHarness.BBM_HOST;
import static org.opgate.testing.GatewayHarness.BEFORE_DEADLINE;
import static org.opgate.testing.GatewayHarness.BES_HOST;
import static org.opgate.testing.GatewayHarness.DEADLINE;
import static org.opgate.testing.Socks5Client.ATYP_IPV4;
import static org.opgate.testing.Socks5Client.ATYP_IPV6;
import static org.opgate.testing.Socks5Client.CMD_BIND;
import static org.opgate.testing.Socks5Client.CMD_CONNECT;
import static org.opgate.testing.Socks5Client.CMD_UDP_ASSOCIATE;
import static org.opgate.testing.Socks5Client.NO_AUTH;
import static org.opgate.testing.Socks5Client.PASSWORD;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.policy.Verdict;
import org.opgate.testing.GatewayHarness;
import org.opgate.testing.LoopbackServer;
import org.opgate.testing.Socks5Client;
import org.opgate.testing.Wire;

/** The socks5 listener, spoken to byte by byte on raw sockets (RFC 1928 and RFC 1929). */
final class Socks5ListenerTest {

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
        gw.clock().set(BEFORE_DEADLINE);
        gw.clearRecords();
    }

    /** Proves the listener still serves: a no-auth CONNECT to a BBM host succeeds. */
    private static void assertStillServes() throws Exception {
        try (Socket s = Socks5Client.tunnel(gw.socks5(), BBM_HOST, 443)) {
            assertThat(s.isConnected()).isTrue();
        }
    }

    @Test
    void noAuthConnectToADomainCarriesTlsToTheSimnetPage() throws Exception {
        try (Socket s = Socks5Client.tunnel(gw.socks5(), BBM_HOST, 443);
             Socket tls = Wire.tls(s, BBM_HOST)) {
            Wire.HttpReply page = Wire.get(tls, BBM_HOST);

            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).contains("<h1>BBM consumer app service</h1>");
        }
        GatewayHarness.Decided d = gw.awaitDecision("socks5", BBM_HOST);
        assertThat(d.outcome().decision().verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(d.outcome().flow().operator()).isEqualTo("mobilink");
    }

    @Test
    void besDomainBeforeTheDeadlineIsRelayedAndRecordedAsNotified() throws Exception {
        try (Socket s = Socks5Client.tunnel(gw.socks5(), BES_HOST, 3101);
             Socket tls = Wire.tls(s, BES_HOST)) {
            assertThat(Wire.get(tls, BES_HOST).body()).contains("BlackBerry Infrastructure (SRP relay)");
        }
        assertThat(gw.awaitDecision("socks5", BES_HOST).outcome().decision().verdict()).isEqualTo(Verdict.NOTIFY);
    }

    @Test
    void besDomainAtTheDeadlineGetsReply02NotAllowedByRuleset() throws Exception {
        gw.clock().set(DEADLINE);
        try (Socket s = Wire.connect(gw.socks5())) {
            assertThat(Socks5Client.greet(s, NO_AUTH)).isEqualTo(NO_AUTH);

            Socks5Client.Reply r = Socks5Client.request(s, CMD_CONNECT, BES_HOST, 3101);

            assertThat(r.status()).isEqualTo(0x02);
            assertThat(Wire.awaitEnd(s)).isEqualTo("closed");
        }
        assertThat(gw.awaitDecision("socks5", BES_HOST).outcome().decision().verdict()).isEqualTo(Verdict.BLOCK);
    }

    @Test
    void usernameOfPasswordAuthIsTheSubscriberAndItsMsisdnPicksTheOperator() throws Exception {
        try (Socket s = Wire.connect(gw.socks5())) {
            assertThat(Socks5Client.greet(s, NO_AUTH, PASSWORD)).isEqualTo(PASSWORD);
            assertThat(Socks5Client.authenticate(s, "923331234567", "pw")).isZero();

            assertThat(Socks5Client.request(s, CMD_CONNECT, BBM_HOST, 443).status()).isZero();
        }
        GatewayHarness.Decided d = gw.awaitDecision("socks5", BBM_HOST);
        assertThat(d.outcome().flow().subscriber()).isEqualTo("923331234567");
        assertThat(d.outcome().flow().operator()).isEqualTo("ufone");
    }

    @Test
    void ipv4AddressConnectsDirectlyToALoopbackServer() throws Exception {
        try (LoopbackServer echo = LoopbackServer.echo();
             Socket s = Wire.connect(gw.socks5())) {
            Socks5Client.greet(s, NO_AUTH);
            Socks5Client.Reply r = Socks5Client.request(s, CMD_CONNECT, InetAddress.getByName("127.0.0.1"),
                    echo.address().getPort());

            assertThat(r.status()).isZero();
            assertThat(r.addressType()).isEqualTo(ATYP_IPV4);
            Wire.send(s, "ping");
            assertThat(new String(s.getInputStream().readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("ping");
        }
    }

    @Test
    void ipv6AddressConnectsDirectlyToALoopbackServer() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        try (LoopbackServer echo = LoopbackServer.echo(v6);
             Socket s = Wire.connect(gw.socks5())) {
            Socks5Client.greet(s, NO_AUTH);
            Socks5Client.Reply r = Socks5Client.request(s, CMD_CONNECT, v6, echo.address().getPort());

            assertThat(r.status()).isZero();
            // The bound address is the gateway's side of its upstream connection: IPv6 as well.
            assertThat(r.addressType()).isEqualTo(ATYP_IPV6);
            assertThat(InetAddress.getByAddress(r.address())).isInstanceOf(Inet6Address.class);
            Wire.send(s, "ping6");
            assertThat(new String(s.getInputStream().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("ping6");
        }
        assertThat(gw.decisions()).anySatisfy(d -> assertThat(String.valueOf(d.outcome().flow().ip())).isEqualTo("::1"));
    }

    @Test
    void bindIsRefusedWithReply07() throws Exception {
        try (Socket s = Wire.connect(gw.socks5())) {
            Socks5Client.greet(s, NO_AUTH);

            assertThat(Socks5Client.request(s, CMD_BIND, BBM_HOST, 443).status()).isEqualTo(0x07);
            assertThat(Wire.awaitEnd(s)).isEqualTo("closed");
        }
        gw.awaitRefusal("socks5", "unsupported-command");
    }

    @Test
    void udpAssociateIsRefusedWithReply07() throws Exception {
        try (Socket s = Wire.connect(gw.socks5())) {
            Socks5Client.greet(s, NO_AUTH);

            assertThat(Socks5Client.request(s, CMD_UDP_ASSOCIATE, InetAddress.getByName("0.0.0.0"), 0).status())
                    .isEqualTo(0x07);
            assertThat(Wire.awaitEnd(s)).isEqualTo("closed");
        }
    }

    @Test
    void nameUnknownInTheSimulatedNetworkGetsReply04() throws Exception {
        try (Socket s = Wire.connect(gw.socks5())) {
            Socks5Client.greet(s, NO_AUTH);

            assertThat(Socks5Client.request(s, CMD_CONNECT, "nowhere.example.org", 443).status()).isEqualTo(0x04);
            assertThat(Wire.awaitEnd(s)).isEqualTo("closed");
        }
        assertThat(gw.awaitRefusal("socks5", "unknown-host").detail()).contains("nowhere.example.org");
    }

    @Test
    void unknownAddressTypeGetsReply08AndTheConnectionCloses() throws Exception {
        try (Socket s = Wire.connect(gw.socks5())) {
            Socks5Client.greet(s, NO_AUTH);
            Wire.send(s, new byte[] {5, CMD_CONNECT, 0, 0x09, 127, 0, 0, 1, 0x01, (byte) 0xBB});

            assertThat(Socks5Client.readReply(s.getInputStream()).status()).isEqualTo(0x08);
            assertThat(Wire.awaitEnd(s)).isEqualTo("closed");
        }
        assertThat(gw.awaitRefusal("socks5", "bad-request").detail()).contains("unsupported address type");
        assertStillServes();
    }

    @Test
    void wrongVersionByteClosesTheConnection() throws Exception {
        try (Socket s = Wire.connect(gw.socks5())) {
            Wire.send(s, new byte[] {4, 1, 0});

            assertThat(Wire.awaitEnd(s)).isIn("closed", "reset");
        }
        gw.awaitRefusal("socks5", "bad-request");
        assertStillServes();
    }

    @Test
    void noAcceptableMethodGetsFFAndTheConnectionCloses() throws Exception {
        try (Socket s = Wire.connect(gw.socks5())) {
            assertThat(Socks5Client.greet(s, 0x80, 0x01)).isEqualTo(0xFF);
            assertThat(Wire.awaitEnd(s)).isEqualTo("closed");
        }
        assertStillServes();
    }

    @Test
    void aGreetingThatOffersNoMethodGetsFFAndTheConnectionCloses() throws Exception {
        try (Socket s = Wire.connect(gw.socks5())) {
            assertThat(Socks5Client.greet(s)).isEqualTo(0xFF);
            assertThat(Wire.awaitEnd(s)).isEqualTo("closed");
        }
        assertThat(gw.awaitRefusal("socks5", "bad-request").detail()).contains("malformed SOCKS5 message");
        assertStillServes();
    }

    @Test
    void aPasswordRequestOfAnotherVersionGetsAFailureStatusAndTheConnectionCloses() throws Exception {
        try (Socket s = Wire.connect(gw.socks5())) {
            Socks5Client.greet(s, PASSWORD);
            Wire.send(s, new byte[] {2, 1, 'u', 1, 'p'});

            byte[] reply = s.getInputStream().readNBytes(2);

            assertThat(reply).hasSize(2);
            assertThat(reply[1]).isNotEqualTo((byte) 0);
            assertThat(Wire.awaitEnd(s)).isEqualTo("closed");
        }
        assertStillServes();
    }

    @Test
    void aConnectRequestWithAnImpossibleDomainGetsReply01AndTheConnectionCloses() throws Exception {
        try (Socket s = Wire.connect(gw.socks5())) {
            Socks5Client.greet(s, NO_AUTH);

            Socks5Client.Reply r = Socks5Client.request(s, CMD_CONNECT, "a".repeat(255), 443);

            assertThat(r.status()).isEqualTo(0x01);
            assertThat(Wire.awaitEnd(s)).isEqualTo("closed");
        }
        assertStillServes();
    }

    @Test
    void clientThatVanishesMidHandshakeLeavesTheListenerServing() throws Exception {
        try (Socket s = Wire.connect(gw.socks5())) {
            Socks5Client.greet(s, NO_AUTH);
            Wire.send(s, new byte[] {5, CMD_CONNECT, 0, 3, 24, 'g', 'o'});
        }
        assertStillServes();
    }

    @Test
    void serverThatSpeaksFirstIsHeardThroughTheTunnel() throws Exception {
        try (LoopbackServer smtp = LoopbackServer.banner("220 smtp ready\r\n");
             Socket s = Socks5Client.tunnel(gw.socks5(), "127.0.0.1", smtp.address().getPort())) {
            assertThat(new String(s.getInputStream().readNBytes(16), StandardCharsets.US_ASCII))
                    .isEqualTo("220 smtp ready\r\n");
        }
    }

    @Test
    void bytesSentRightBehindTheConnectRequestReachTheUpstream() throws Exception {
        try (LoopbackServer echo = LoopbackServer.echo();
             Socket s = Wire.connect(gw.socks5())) {
            Socks5Client.greet(s, NO_AUTH);
            byte[] addr = {127, 0, 0, 1};
            int port = echo.address().getPort();
            Wire.send(s, new byte[] {5, CMD_CONNECT, 0, ATYP_IPV4, addr[0], addr[1], addr[2], addr[3],
                    (byte) (port >> 8), (byte) port, 'e', 'a', 'r', 'l', 'y'});

            assertThat(Socks5Client.readReply(s.getInputStream()).status()).isZero();
            assertThat(new String(s.getInputStream().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("early");
        }
    }
}
