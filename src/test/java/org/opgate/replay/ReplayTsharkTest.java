package org.opgate.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
}
