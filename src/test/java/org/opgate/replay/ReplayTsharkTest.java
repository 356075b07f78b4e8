package org.opgate.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.replay.CaptureWriter.Link;
import org.opgate.testing.ClientHellos;
import org.opgate.testing.Tools;
import org.opgate.testing.TsharkSni;

/**
 * The SNI that replay reads from each flow equals what tshark reads, on captures the tests write
 * and the committed ones. Skipped when tshark is missing, unless OPGATE_REQUIRE_TOOLS=1.
 */
final class ReplayTsharkTest {

    @TempDir
    Path dir;

    @Test
    void replayReadsTheSameSniAsTsharkForEveryFlow() throws Exception {
        Path tshark = Tools.require("tshark");
        List<Path> captures = new ArrayList<>(List.of(Path.of("src/test/resources/captures/demo.pcap"),
                Path.of("src/test/resources/captures/demo-cooked-ipv6.pcapng")));
        CaptureWriter w = new CaptureWriter(DemoCaptures.START)
                .tcp(Link.SLL, "10.0.0.5", 50101, "203.0.113.10", 3101, ClientHellos.of("gb.srp.blackberry.com"), 90)
                .tcp(Link.SLL, "2001:db8::5", 40102, "2001:db8::1", 443, ClientHellos.withoutSni("h2"), 1000)
                .tcp(Link.SLL, "10.0.0.5", 50103, "198.51.100.20", 8443,
                        ClientHellos.reframe(ClientHellos.of("auth2.bbm.blackberry.com", "h2", "http/1.1"), 100), 120)
                .tcpReordered(Link.SLL, "10.0.0.5", 50104, "198.51.100.21", 443, ClientHellos.of("api.example.org"),
                        200, 1, 0, 2, 1);
        Path written = dir.resolve("written.pcap");
        w.writePcap(written, ByteOrder.BIG_ENDIAN, true);
        captures.add(written);
        Path writtenNg = dir.resolve("written.pcapng");
        DemoCaptures.ethernet().writePcapng(writtenNg, ByteOrder.BIG_ENDIAN);
        captures.add(writtenNg);

        for (Path capture : captures) {
            Map<String, String> expected = TsharkSni.tshark(tshark, capture, 3101, 8443);
            assertThat(expected).as("tshark found ClientHellos in %s", capture).isNotEmpty();
            assertThat(TsharkSni.replay(capture)).as("SNI per client endpoint in %s", capture).isEqualTo(expected);
        }
    }

    @Test
    void aClientHelloTheServerEchoesBackIsNotAFlowOfItsOwn() throws Exception {
        // The flake of DemoCaptureTsharkTest: another program on lo connected from 127.10.1.171 with
        // the port of the SNI listener (36559) to an echo server, which sent the ClientHello back;
        // tshark showed that as a hello from 127.0.0.1:44043 to port 36559.
        Path tshark = Tools.require("tshark");
        byte[] echoed = ClientHellos.of("echo.bench.test");
        Path capture = dir.resolve("echo.pcap");
        new CaptureWriter(DemoCaptures.START)
                .exchange(Link.RAW, "127.10.1.171", 36559, "127.0.0.1", 44043, 1000, echoed, echoed)
                .tcp(Link.RAW, "127.2.0.9", 50001, "127.0.0.1", 36559, ClientHellos.of("goods.bbm.blackberry.com"), 1000)
                .writePcap(capture, ByteOrder.LITTLE_ENDIAN, false);
        Set<String> sniListener = Set.of("127.0.0.1:36559");

        Map<String, String> expected = TsharkSni.tshark(tshark, capture, sniListener,
                List.of("tcp.port==36559,tls", "tcp.port==44043,tls"));

        assertThat(expected).containsExactly(Map.entry("127.2.0.9:50001 > 127.0.0.1:36559", "goods.bbm.blackberry.com"));
        assertThat(TsharkSni.replay(capture, sniListener)).isEqualTo(expected);
    }

    @Test
    void aTunnelWhoseClientPortEqualsTheProxyPortIsReadAsTsharkReadsIt() throws Exception {
        // Seen in DemoCaptureTsharkTest: a population client from 127.0.1.160 got the HTTP
        // listener's port (45027) as its own, and tshark's http dissector, unable to tell the
        // sides apart, did not follow the CONNECT tunnel to its hello.
        Path tshark = Tools.require("tshark");
        Path capture = dir.resolve("same-port.pcap");
        new CaptureWriter(DemoCaptures.START)
                .exchange(Link.RAW, "127.0.1.160", 45027, "127.0.0.1", 45027, 10,
                        ProxyHandshakes.connect("goods.bbm.blackberry.com:443"), ProxyHandshakes.CONNECT_OK,
                        ClientHellos.of("goods.bbm.blackberry.com"))
                .writePcap(capture, ByteOrder.LITTLE_ENDIAN, false);

        Map<String, String> expected = TsharkSni.tshark(tshark, capture, Set.of(), List.of("tcp.port==45027,http"));

        assertThat(expected).containsExactly(Map.entry("127.0.1.160:45027 > 127.0.0.1:45027", "goods.bbm.blackberry.com"));
        assertThat(TsharkSni.replay(capture)).isEqualTo(expected);
    }

    @Test
    void aReusedFourTupleIsTwoFlowsForTsharkAndForReplay() throws Exception {
        Path tshark = Tools.require("tshark");
        Path capture = dir.resolve("reuse.pcap");
        new CaptureWriter(DemoCaptures.START)
                .tcp(Link.RAW, "127.2.0.9", 50001, "127.0.0.1", 36559, ClientHellos.of("first.example.com"), 1000)
                .tcpReordered(Link.RAW, "127.2.0.9", 50001, "127.0.0.1", 36559, ClientHellos.of("second.example.com"),
                        2000, 0)
                .writePcap(capture, ByteOrder.LITTLE_ENDIAN, false);

        Map<String, String> expected = TsharkSni.tshark(tshark, capture, 36559);

        assertThat(expected).containsExactly(Map.entry("127.2.0.9:50001 > 127.0.0.1:36559", "first.example.com"),
                Map.entry("127.2.0.9:50001 > 127.0.0.1:36559 #2", "second.example.com"));
        assertThat(TsharkSni.replay(capture)).isEqualTo(expected);
    }

    @Test
    void theHellosInsideConnectAndSocks5TunnelsOnAnyPortAreReadAsTsharkReadsThem() throws Exception {
        // Two SOCKS5 tunnels from one address to port 443: tshark finds the second hello only
        // without out-of-order reassembly (see TsharkSni).
        Path tshark = Tools.require("tshark");
        Path capture = dir.resolve("tunnels.pcapng");
        new CaptureWriter(DemoCaptures.START)
                .exchange(Link.RAW, "127.2.0.9", 50001, "127.0.0.1", 41001, 10,
                        ProxyHandshakes.connect("goods.bbm.blackberry.com:443"), ProxyHandshakes.CONNECT_OK,
                        ClientHellos.of("goods.bbm.blackberry.com"))
                .exchange(Link.RAW, "127.2.0.9", 50002, "127.0.0.1", 41002, 1000,
                        ProxyHandshakes.greeting(0, 2), ProxyHandshakes.SOCKS5_CHOSE_PASSWORD,
                        ProxyHandshakes.auth("923331234567", "x"), ProxyHandshakes.SOCKS5_AUTH_OK,
                        ProxyHandshakes.request("gb.srp.blackberry.com", 443), ProxyHandshakes.SOCKS5_SUCCEEDED,
                        ClientHellos.withoutSni())
                .exchange(Link.RAW, "127.2.0.9", 50003, "127.0.0.1", 41002, 1000,
                        ProxyHandshakes.greeting(0), ProxyHandshakes.SOCKS5_CHOSE_NO_AUTH,
                        ProxyHandshakes.request("bis.na.blackberry.com", 443), ProxyHandshakes.SOCKS5_SUCCEEDED,
                        ClientHellos.of("bis.na.blackberry.com"))
                .writePcapng(capture, ByteOrder.BIG_ENDIAN);

        Map<String, String> expected = TsharkSni.tshark(tshark, capture, Set.of(),
                List.of("tcp.port==41001,http", "tcp.port==41002,socks", "tcp.port==3101,tls"));

        assertThat(expected).containsExactly(Map.entry("127.2.0.9:50001 > 127.0.0.1:41001", "goods.bbm.blackberry.com"),
                Map.entry("127.2.0.9:50002 > 127.0.0.1:41002", ""),
                Map.entry("127.2.0.9:50003 > 127.0.0.1:41002", "bis.na.blackberry.com"));
        assertThat(TsharkSni.replay(capture)).isEqualTo(expected);
    }
}
