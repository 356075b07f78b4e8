package org.opgate.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opgate.replay.ProxyHandshakes.CONNECT_OK;
import static org.opgate.replay.ProxyHandshakes.SOCKS5_AUTH_OK;
import static org.opgate.replay.ProxyHandshakes.SOCKS5_CHOSE_NO_AUTH;
import static org.opgate.replay.ProxyHandshakes.SOCKS5_CHOSE_PASSWORD;
import static org.opgate.replay.ProxyHandshakes.SOCKS5_SUCCEEDED;
import static org.opgate.replay.ProxyHandshakes.auth;
import static org.opgate.replay.ProxyHandshakes.connect;
import static org.opgate.replay.ProxyHandshakes.greeting;
import static org.opgate.replay.ProxyHandshakes.request;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.flow.IpAddress;
import org.opgate.replay.CaptureWriter.Link;
import org.opgate.testing.ClientHellos;

/** Reading tunnels: the proxy handshake (HTTP CONNECT, SOCKS5) and then the ClientHello sent through it. */
final class ReplayTunnelTest {

    private static final String CLIENT = "10.0.0.5";
    private static final String PROXY = "192.0.2.1";

    @TempDir
    Path dir;

    private CapturedFlow only(CaptureWriter w) throws Exception {
        Path file = dir.resolve("tunnel.pcap");
        Files.write(file, w.pcap(ByteOrder.LITTLE_ENDIAN, false));
        Capture c = CaptureAnalyzer.analyze(file);
        assertThat(c.error()).isNull();
        assertThat(c.flows()).hasSize(1);
        return c.flows().get(0);
    }

    private static CaptureWriter writer() {
        return new CaptureWriter(DemoCaptures.START);
    }

    @Test
    void aConnectHeadSplitAcrossSegmentsThenAHelloGiveTheTargetAndTheInnerSni() throws Exception {
        CapturedFlow f = only(writer().exchange(Link.ETHERNET, CLIENT, 50001, PROXY, 3128, 7,
                connect("gb.srp.blackberry.com:3101"), CONNECT_OK, ClientHellos.of("gb.srp.blackberry.com")));

        assertThat(f).extracting(CapturedFlow::kind, CapturedFlow::protocol, CapturedFlow::destination,
                CapturedFlow::sni, CapturedFlow::user, CapturedFlow::note)
                .containsExactly("connect", "tls", "gb.srp.blackberry.com:3101", "gb.srp.blackberry.com", null, null);
    }

    @Test
    void aConnectToAnIpv6LiteralWithProxyAuthorizationGivesTheAddressAndTheUser() throws Exception {
        // "923001234567:pw" in Base64
        CapturedFlow f = only(writer().exchange(Link.ETHERNET, CLIENT, 50001, PROXY, 3128, 1000,
                connect("[2001:db8::7]:443", "Proxy-Authorization: Basic OTIzMDAxMjM0NTY3OnB3"), CONNECT_OK,
                ClientHellos.of("bis.na.blackberry.com")));

        assertThat(f).extracting(CapturedFlow::host, CapturedFlow::tunnelPort, CapturedFlow::destination,
                CapturedFlow::user, CapturedFlow::sni)
                .containsExactly("2001:db8::7", 443, "[2001:db8::7]:443", "923001234567", "bis.na.blackberry.com");
    }

    @Test
    void aSocks5HandshakeWithUserNameAndPasswordGivesTheUserTheTargetAndTheInnerSni() throws Exception {
        CapturedFlow f = only(writer().exchange(Link.ETHERNET, CLIENT, 50001, PROXY, 1080, 1000,
                greeting(0, 2), SOCKS5_CHOSE_PASSWORD, auth("923331234567", "x"), SOCKS5_AUTH_OK,
                request("goods.bbm.blackberry.com", 443), SOCKS5_SUCCEEDED, ClientHellos.of("goods.bbm.blackberry.com")));

        assertThat(f).extracting(CapturedFlow::kind, CapturedFlow::protocol, CapturedFlow::destination,
                CapturedFlow::user, CapturedFlow::sni, CapturedFlow::note)
                .containsExactly("socks5", "tls", "goods.bbm.blackberry.com:443", "923331234567",
                        "goods.bbm.blackberry.com", null);
    }

    @Test
    void aSocks5HandshakeSentAllAtOnceInTinySegmentsIsRead() throws Exception {
        byte[] all = CaptureWriter.concat(greeting(0), request(IpAddress.parse("68.171.224.5"), 3101),
                ClientHellos.withoutSni());

        CapturedFlow f = only(writer().exchange(Link.ETHERNET, CLIENT, 50001, PROXY, 1080, 3, all));

        assertThat(f).extracting(CapturedFlow::destination, CapturedFlow::user, CapturedFlow::protocol,
                CapturedFlow::sni, CapturedFlow::note)
                .containsExactly("68.171.224.5:3101", null, "tls", null, null);
    }

    @Test
    void aSocks5RequestForAnIpv6AddressGivesTheAddress() throws Exception {
        CapturedFlow f = only(writer().exchange(Link.ETHERNET, CLIENT, 50001, PROXY, 1080, 1000,
                greeting(0), SOCKS5_CHOSE_NO_AUTH, request(IpAddress.parse("2001:db8::1"), 443), SOCKS5_SUCCEEDED,
                ClientHellos.of("bis.na.blackberry.com")));

        assertThat(f.destination()).isEqualTo("[2001:db8::1]:443");
        assertThat(f.sni()).isEqualTo("bis.na.blackberry.com");
    }

    @Test
    void aRefusedTunnelCarriesNothingAndNeedsNoNote() throws Exception {
        CapturedFlow f = only(writer().exchange(Link.ETHERNET, CLIENT, 50001, PROXY, 1080, 1000,
                greeting(0), SOCKS5_CHOSE_NO_AUTH, request("gb.srp.blackberry.com", 3101), new byte[] {5, 2, 0, 1, 0, 0,
                    0, 0, 0, 0}));

        assertThat(f).extracting(CapturedFlow::kind, CapturedFlow::protocol, CapturedFlow::destination,
                CapturedFlow::sni, CapturedFlow::note)
                .containsExactly("socks5", "none", "gb.srp.blackberry.com:3101", null, null);
    }

    @Test
    void plainHttpThroughATunnelIsHttpWithoutSni() throws Exception {
        CapturedFlow f = only(writer().exchange(Link.ETHERNET, CLIENT, 50001, PROXY, 3128, 1000,
                connect("smtp01.bis.na.blackberry.com:80"), CONNECT_OK,
                CaptureWriter.http("GET / HTTP/1.1\nHost: elsewhere.example\n\n")));

        assertThat(f).extracting(CapturedFlow::protocol, CapturedFlow::host, CapturedFlow::sni, CapturedFlow::note)
                .containsExactly("http", "smtp01.bis.na.blackberry.com", null, null);
    }

    @Test
    void aSocks5HandshakeCutShortByTheCaptureSaysSo() throws Exception {
        byte[] request = request("gb.srp.blackberry.com", 3101);

        CapturedFlow f = only(writer().exchange(Link.ETHERNET, CLIENT, 50001, PROXY, 1080, 1000,
                greeting(0), SOCKS5_CHOSE_NO_AUTH, Arrays.copyOf(request, 9)));

        assertThat(f).extracting(CapturedFlow::kind, CapturedFlow::destination, CapturedFlow::note)
                .containsExactly("socks5", null, "the capture ends before the SOCKS5 handshake is complete (12 bytes in"
                        + " sequence)");
    }

    @Test
    void aHelloInsideATunnelCutShortByTheCaptureSaysSo() throws Exception {
        byte[] hello = ClientHellos.of("goods.bbm.blackberry.com");

        CapturedFlow f = only(writer().exchange(Link.ETHERNET, CLIENT, 50001, PROXY, 3128, 1000,
                connect("goods.bbm.blackberry.com:443"), CONNECT_OK, Arrays.copyOf(hello, 40)));

        assertThat(f.destination()).isEqualTo("goods.bbm.blackberry.com:443");
        assertThat(f.note()).isEqualTo("the capture ends before the TLS ClientHello inside the tunnel is complete ("
                + (connect("goods.bbm.blackberry.com:443").length + 40) + " bytes in sequence)");
    }

    @Test
    void garbledSocks5HandshakesGetANoteEach() throws Exception {
        byte[][] cases = {
            CaptureWriter.concat(greeting(0), new byte[] {7, 1, 0}),
            CaptureWriter.concat(greeting(0), new byte[] {5, 1, 0, 9, 1, 2, 3, 4, 0, 80}),
            CaptureWriter.concat(greeting(0), new byte[] {5, 2, 0, 1, 1, 2, 3, 4, 0, 80}),
            CaptureWriter.concat(greeting(0), new byte[] {5, 1, 0, 3, 0, 0, 80}),
        };
        String[] notes = {
            "SOCKS5 handshake unreadable: byte 0x07 at offset 3 after the greeting (expected: 01, the RFC 1929"
                + " authentication, or 05, the request)",
            "SOCKS5 handshake unreadable: request with address type 0x09 at offset 6 (expected: 01 IPv4, 03 domain"
                + " name or 04 IPv6)",
            "SOCKS5 handshake unreadable: request command 0x02 (expected: 01 CONNECT; BIND and UDP ASSOCIATE open no"
                + " tunnel)",
            "SOCKS5 handshake unreadable: request with an empty domain name at offset 7",
        };
        for (int i = 0; i < cases.length; i++) {
            CapturedFlow f = only(writer().tcp(Link.ETHERNET, CLIENT, 50001, PROXY, 1080, cases[i], 1000));
            assertThat(f).extracting(CapturedFlow::kind, CapturedFlow::destination, CapturedFlow::note)
                    .as("case %s", i).containsExactly("socks5", null, notes[i]);
        }
    }

    @Test
    void aConnectWithoutAPortGetsANote() throws Exception {
        CapturedFlow f = only(writer().tcp(Link.ETHERNET, CLIENT, 50001, PROXY, 3128, connect("gb.srp.blackberry.com"),
                1000));

        assertThat(f).extracting(CapturedFlow::kind, CapturedFlow::destination, CapturedFlow::note)
                .containsExactly("connect", null, "CONNECT target 'gb.srp.blackberry.com' has no port 1..65535");
    }

    @Test
    void aFirstByteOfFiveWithoutMethodsIsNotSocks5() throws Exception {
        CapturedFlow f = only(writer().tcp(Link.ETHERNET, CLIENT, 50001, PROXY, 1080, new byte[] {5, 0, 1, 2}, 1000));

        assertThat(f).extracting(CapturedFlow::kind, CapturedFlow::note).containsExactly("other", null);
    }

    @Test
    void everyPrefixAndRandomDamageOfATunnelHandshakeReadsWithoutAnException() {
        byte[] socks = CaptureWriter.concat(greeting(0, 2), auth("923331234567", "x"),
                request("goods.bbm.blackberry.com", 443), ClientHellos.of("goods.bbm.blackberry.com"));
        byte[] http = CaptureWriter.concat(connect("gb.srp.blackberry.com:3101", "Proxy-Authorization: Basic !!"),
                ClientHellos.withoutSni());
        SplittableRandom random = new SplittableRandom(7);
        for (byte[] valid : new byte[][] {socks, http}) {
            for (int n = 0; n <= valid.length; n++) {
                TcpFlow flow = flow();
                flow.clientData(1, Arrays.copyOf(valid, n));
                assertThat(flow.toCaptured()).isNotNull();
            }
            for (int k = 0; k < 2000; k++) {
                byte[] damaged = valid.clone();
                for (int j = random.nextInt(1, 4); j > 0; j--) {
                    damaged[random.nextInt(Math.min(damaged.length, 80))] = (byte) random.nextInt(256);
                }
                TcpFlow flow = flow();
                flow.clientData(1, damaged);
                assertThat(flow.toCaptured()).isNotNull();
            }
        }
    }

    private static TcpFlow flow() {
        TcpFlow f = new TcpFlow(IpAddress.parse(CLIENT), 50001, IpAddress.parse(PROXY), 1080, 1, DemoCaptures.START, null);
        f.clientSyn(0);
        return f;
    }
}
