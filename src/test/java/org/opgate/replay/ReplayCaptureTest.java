package org.opgate.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.opgate.replay.CaptureWriter.dnsAnswer;
import static org.opgate.replay.CaptureWriter.http;
import static org.opgate.replay.CaptureWriter.udp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.opgate.replay.CaptureWriter.Link;
import org.opgate.testing.ClientHellos;

/** Reading captures: formats, link types, IP versions, reassembly, DNS names and broken files. */
final class ReplayCaptureTest {

    @TempDir
    Path dir;

    private Capture read(String name, byte[] bytes) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return CaptureAnalyzer.analyze(file);
    }

    private static Instant ms(int n) {
        return DemoCaptures.START.plusMillis(n);
    }

    @ParameterizedTest(name = "{0} {1} ns={2}")
    @CsvSource({"pcap, LITTLE_ENDIAN, false", "pcap, BIG_ENDIAN, false", "pcap, LITTLE_ENDIAN, true",
        "pcap, BIG_ENDIAN, true", "pcapng, LITTLE_ENDIAN, true", "pcapng, BIG_ENDIAN, true"})
    void everyFormatAndByteOrderGivesTheSameFlows(String format, String order, boolean nanos) throws Exception {
        CaptureWriter w = DemoCaptures.ethernet();
        ByteOrder bo = order.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        Capture c = read("demo." + format, format.equals("pcap") ? w.pcap(bo, nanos) : w.pcapng(bo));

        assertThat(c.error()).isNull();
        assertThat(c.packets()).isEqualTo(DemoCaptures.ethernet().frames().size());
        assertThat(c.dnsAnswers()).isEqualTo(1);
        assertThat(c.flows()).extracting(CapturedFlow::clientEndpoint, CapturedFlow::serverEndpoint,
                CapturedFlow::firstPacket, CapturedFlow::first, CapturedFlow::kind, CapturedFlow::protocol,
                CapturedFlow::sni, CapturedFlow::host, CapturedFlow::tunnelPort, CapturedFlow::user, CapturedFlow::dns)
                .containsExactly(
                        tuple("10.0.0.5:50001", "203.0.113.10:3101", 3, ms(2), "other", "other", null, null, 0, null,
                                "gb.srp.blackberry.com"),
                        tuple("10.0.0.5:50002", "198.51.100.20:443", 9, ms(8), "tls", "tls", "goods.bbm.blackberry.com",
                                null, 0, null, null),
                        tuple("10.0.0.5:50003", "192.0.2.1:8080", 16, ms(15), "connect", "tls", null,
                                "gb.srp.blackberry.com", 3101, null, null),
                        tuple("10.0.0.5:50004", "198.51.100.30:443", 26, ms(25), "tls", "tls", "www.example.com", null,
                                0, null, null),
                        tuple("10.0.0.5:50005", "192.0.2.1:1080", 32, ms(31), "socks5", "tls", "bis.na.blackberry.com",
                                "bis.na.blackberry.com", 443, DemoCaptures.SOCKS_USER, null));
    }

    @Test
    void aClientHelloInSegmentsOutOfOrderAndRetransmittedIsReassembled() throws Exception {
        byte[] hello = ClientHellos.of("goods.bbm.blackberry.com");
        int segments = (hello.length + 49) / 50;
        // last first, then pairs swapped (1 0 3 2 …), segment 1 twice
        java.util.List<Integer> order = new java.util.ArrayList<>(java.util.List.of(segments - 1));
        for (int i = 0; i + 1 < segments - 1; i += 2) {
            order.addAll(java.util.List.of(i + 1, i, i == 0 ? 1 : i + 1));
        }
        if ((segments - 1) % 2 == 1) {
            order.add(segments - 2);
        }
        CaptureWriter w = new CaptureWriter(DemoCaptures.START)
                .tcpReordered(Link.ETHERNET, "10.0.0.5", 50002, "198.51.100.20", 443, hello, 50,
                        order.stream().mapToInt(Integer::intValue).toArray());

        Capture c = read("ooo.pcap", w.pcap(ByteOrder.LITTLE_ENDIAN, false));

        assertThat(c.flows()).singleElement().satisfies(f -> {
            assertThat(f.sni()).isEqualTo("goods.bbm.blackberry.com");
            assertThat(f.note()).isNull();
        });
    }

    @Test
    void aFlowWithAMissingSegmentSaysTheHelloIsIncomplete() throws Exception {
        byte[] hello = ClientHellos.of("goods.bbm.blackberry.com");
        CaptureWriter w = new CaptureWriter(DemoCaptures.START)
                .tcpReordered(Link.ETHERNET, "10.0.0.5", 50002, "198.51.100.20", 443, hello, 100, 0, 2, 3);

        Capture c = read("gap.pcap", w.pcap(ByteOrder.LITTLE_ENDIAN, false));

        assertThat(c.flows()).singleElement().satisfies(f -> {
            assertThat(f.sni()).isNull();
            assertThat(f.note()).isEqualTo("the capture ends before the TLS ClientHello is complete (100 bytes in"
                    + " sequence)");
        });
    }

    @Test
    void stackedVlanTagsAreSkipped() throws Exception {
        CaptureWriter w = new CaptureWriter(DemoCaptures.START)
                .tcp(Link.ETHERNET, "10.0.0.5", 50004, "198.51.100.30", 443, ClientHellos.of("www.example.com"), 1000,
                        100, 200, 300);

        Capture c = read("vlan.pcap", w.pcap(ByteOrder.BIG_ENDIAN, false));

        assertThat(c.flows()).extracting(CapturedFlow::sni).containsExactly("www.example.com");
    }

    @ParameterizedTest
    @EnumSource(Link.class)
    void everyLinkTypeCarriesIpv4AndIpv6(Link link) throws Exception {
        CaptureWriter w = new CaptureWriter(DemoCaptures.START)
                .tcp(link, "10.0.0.5", 50004, "198.51.100.30", 443, ClientHellos.of("v4.example.com"), 1000)
                .tcp(link, "2001:db8::5", 40001, "2001:db8::443", 443, ClientHellos.of("v6.example.com"), 300);

        Capture c = read("link.pcapng", w.pcapng(ByteOrder.LITTLE_ENDIAN));

        assertThat(c.error()).isNull();
        assertThat(c.flows()).extracting(CapturedFlow::clientEndpoint, CapturedFlow::serverEndpoint, CapturedFlow::sni)
                .containsExactly(tuple("10.0.0.5:50004", "198.51.100.30:443", "v4.example.com"),
                        tuple("[2001:db8::5]:40001", "[2001:db8::443]:443", "v6.example.com"));
    }

    @Test
    void ipv6ExtensionHeadersAreSkipped() throws Exception {
        byte[] seg = CaptureWriter.tcpHeader("2001:db8::5", "2001:db8::80", 40002, 80, 1, 0, CaptureWriter.PSH,
                http("GET / HTTP/1.1\nHost: sprint.blackberry.com\n\n"));
        CaptureWriter w = new CaptureWriter(DemoCaptures.START)
                .add(Link.SLL, CaptureWriter.ipv6WithDestinationOptions("2001:db8::5", "2001:db8::80", 6, seg));

        Capture c = read("ext.pcap", w.pcap(ByteOrder.LITTLE_ENDIAN, false));

        assertThat(c.flows()).extracting(CapturedFlow::host, CapturedFlow::protocol)
                .containsExactly(tuple("sprint.blackberry.com", "http"));
    }

    @Test
    void theLatestDnsNameBeforeTheFlowNamesItsServer() throws Exception {
        CaptureWriter w = new CaptureWriter(DemoCaptures.START)
                .add(Link.ETHERNET, udp("10.0.0.1", "10.0.0.5", 53, 5353, dnsAnswer("old.example.com", "192.0.2.7")))
                .add(Link.ETHERNET, udp("10.0.0.1", "10.0.0.5", 53, 5353,
                        dnsAnswer("gb.srp.blackberry.com", "192.0.2.7", "a.example.net", "b.example.net")))
                .tcp(Link.ETHERNET, "10.0.0.5", 50001, "192.0.2.7", 3101, new byte[] {1, 2, 3}, 100)
                .add(Link.ETHERNET, udp("10.0.0.1", "10.0.0.5", 53, 5353, dnsAnswer("later.example.com", "192.0.2.7")));

        Capture c = read("dns.pcap", w.pcap(ByteOrder.LITTLE_ENDIAN, false));

        assertThat(c.dnsAnswers()).isEqualTo(3);
        assertThat(c.flows()).extracting(CapturedFlow::dns).containsExactly("gb.srp.blackberry.com");
    }

    @Test
    void aFlowSeenWithoutItsSynTakesTheSynAckReceiverOrTheFirstSenderAsClient() throws Exception {
        CaptureWriter w = new CaptureWriter(DemoCaptures.START)
                .add(Link.RAW, CaptureWriter.ip("198.51.100.30", "10.0.0.5", 6, CaptureWriter.tcpHeader("198.51.100.30",
                        "10.0.0.5", 443, 50009, 5000, 1001, CaptureWriter.SYN | CaptureWriter.ACK, new byte[0])))
                .add(Link.RAW, CaptureWriter.ip("10.0.0.6", "198.51.100.31", 6, CaptureWriter.tcpHeader("10.0.0.6",
                        "198.51.100.31", 50010, 80, 42, 1, CaptureWriter.PSH | CaptureWriter.ACK,
                        http("GET / HTTP/1.0\nHost: alltel.blackberry.com\n\n"))));

        Capture c = read("nosyn.pcap", w.pcap(ByteOrder.LITTLE_ENDIAN, false));

        assertThat(c.flows()).extracting(CapturedFlow::clientEndpoint, CapturedFlow::host)
                .containsExactly(tuple("10.0.0.5:50009", null), tuple("10.0.0.6:50010", "alltel.blackberry.com"));
    }

    @Test
    void simplePacketBlocksAndUnknownBlocksAreRead() throws Exception {
        CaptureWriter w = new CaptureWriter(DemoCaptures.START)
                .add(Link.ETHERNET, udp("10.0.0.1", "10.0.0.5", 53, 5353, dnsAnswer("gb.srp.blackberry.com", "192.0.2.7")))
                .addSimple(Link.ETHERNET, CaptureWriter.ip("10.0.0.5", "192.0.2.7", 6, CaptureWriter.tcpHeader("10.0.0.5",
                        "192.0.2.7", 50001, 3101, 1, 0, CaptureWriter.SYN, new byte[0])));

        Capture c = read("spb.pcapng", w.pcapng(ByteOrder.BIG_ENDIAN));

        assertThat(c.error()).isNull();
        assertThat(c.flows()).extracting(CapturedFlow::firstPacket, CapturedFlow::first, CapturedFlow::dns)
                .containsExactly(tuple(2, ms(0), "gb.srp.blackberry.com"));
    }

    @Test
    void aTruncatedPcapNamesThePacketAndKeepsTheFlowsBeforeIt() throws Exception {
        byte[] whole = DemoCaptures.ethernet().pcap(ByteOrder.LITTLE_ENDIAN, false);

        Capture c = read("cut.pcap", Arrays.copyOf(whole, whole.length - 500));

        assertThat(c.error()).isEqualTo("packet 47 at byte 5159: packet data cut short: 164 of 524 bytes"
                + " (expected: the whole packet; the capture was cut off)");
        assertThat(c.packets()).isEqualTo(46);
        assertThat(c.flows()).extracting(CapturedFlow::sni, CapturedFlow::host, CapturedFlow::protocol).containsExactly(
                tuple(null, null, "other"), tuple("goods.bbm.blackberry.com", null, "tls"),
                tuple(null, "gb.srp.blackberry.com", "tls"), tuple("www.example.com", null, "tls"),
                tuple(null, "bis.na.blackberry.com", "none"));
    }

    @Test
    void aHugeCapturedLengthUnderASnapshotLengthOfAllOnesIsACorruptRecord() throws Exception {
        // Found by CaptureFuzzTest: snaplen 0xffffffff let a record ask for 3.9 GB, and the reader
        // tried to allocate it.
        byte[] file = DemoCaptures.ethernet().pcap(ByteOrder.LITTLE_ENDIAN, false);
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(16, -1);
        int second = 24 + 16 + b.getInt(24 + 8);
        b.putInt(second + 8, 0xe8ff_ffff);

        Capture c = read("huge.pcap", file);

        assertThat(c.error()).isEqualTo("packet 2 at byte " + second + ": captured length 3909091327 (expected: at"
                + " most 16777216, the snapshot length; corrupt record header)");
        assertThat(c.packets()).isEqualTo(1);
    }

    @Test
    void aRecordHeaderCutShortNamesThePacket() throws Exception {
        byte[] whole = DemoCaptures.ethernet().pcap(ByteOrder.LITTLE_ENDIAN, false);
        int firstRecordEnd = 24 + 16 + Bytes.u32(whole, 24 + 8, true);

        Capture c = read("cut.pcap", Arrays.copyOf(whole, firstRecordEnd + 10));

        assertThat(c.error()).isEqualTo("packet 2 at byte " + firstRecordEnd
                + ": record header cut short: 10 of 16 bytes (expected: a whole record; the capture was cut off)");
        assertThat(c.packets()).isEqualTo(1);
    }

    @Test
    void aCorruptPcapngBlockLengthNamesTheBlockAndPacket() throws Exception {
        byte[] file = DemoCaptures.ethernet().pcapng(ByteOrder.LITTLE_ENDIAN);
        // SHB (28) + IDB (32) + EPB 1 + the unknown block (16): the next EPB is packet 2, block 5.
        int epb1 = 28 + 32;
        int second = epb1 + Bytes.u32(file, epb1 + 4, true) + 16;
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(second + 4, 13);

        Capture c = read("bad.pcapng", file);

        assertThat(c.error()).isEqualTo("block 5 (packet 2) at byte " + second
                + ": block length 13 (expected: a multiple of 4 from 12 to 16777216; corrupt block header)");
        assertThat(c.packets()).isEqualTo(1);
    }

    @Test
    void aPcapngTimestampOutsideTheRangeOfTimeNamesTheBlockAndPacket() throws Exception {
        // Found by CaptureFuzzTest: the reader threw DateTimeException.
        byte[] file = DemoCaptures.ethernet().pcapng(ByteOrder.LITTLE_ENDIAN);
        int epb1 = 28 + 32;
        file[28 + 20] = 0; // if_tsresol 0: timestamps in whole seconds
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(epb1 + 12, 0x7fffffff);

        Capture c = read("far.pcapng", file);

        assertThat(c.error()).startsWith("block 3 (packet 1) at byte " + epb1 + ": timestamp ")
                .contains("outside the range of time");
        assertThat(c.packets()).isZero();
    }

    @Test
    void aFileThatIsNoCaptureSaysWhatItStartsWith() throws Exception {
        Capture c = read("x.txt", "hello world".getBytes());

        assertThat(c.error()).isEqualTo("not a capture: the file starts with 68 65 6c 6c (expected: a pcap magic"
                + " a1b2c3d4 or a1b23c4d in either byte order, or the pcapng section header 0a0d0d0a)");
        assertThat(c.flows()).isEmpty();
    }

    @Test
    void anUnsupportedLinkTypeSkipsItsPacketsWithTheReason() throws Exception {
        byte[] file = new CaptureWriter(DemoCaptures.START)
                .tcp(Link.ETHERNET, "10.0.0.5", 1, "10.0.0.6", 2, new byte[0], 10).pcap(ByteOrder.BIG_ENDIAN, false);
        ByteBuffer.wrap(file).putInt(20, 105);  // IEEE 802.11

        Capture c = read("wifi.pcap", file);

        assertThat(c.error()).isNull();
        assertThat(c.flows()).isEmpty();
        assertThat(c.skipped()).containsExactly("4 packets: link type 105 (expected: 0 loopback, 1 Ethernet, 101 raw IP,"
                + " 113 or 276 Linux cooked) (first: packet 1)");
    }
    @Test
    void aNewSynOnAUsedFiveTupleStartsANewFlow() throws Exception {
        CaptureWriter w = new CaptureWriter(DemoCaptures.START)
                .tcp(Link.ETHERNET, "10.0.0.5", 50001, "198.51.100.30", 443, ClientHellos.of("first.example.com"), 1000)
                .tcpReordered(Link.ETHERNET, "10.0.0.5", 50001, "198.51.100.30", 443,
                        ClientHellos.of("second.example.com"), 2000, 0);

        Capture c = read("reuse.pcap", w.pcap(ByteOrder.LITTLE_ENDIAN, false));

        assertThat(c.flows()).extracting(CapturedFlow::firstPacket, CapturedFlow::sni)
                .containsExactly(tuple(1, "first.example.com"), tuple(7, "second.example.com"));
    }

    @Test
    void nonIpFramesAreCountedAsSkippedWithTheFirstPacket() throws Exception {
        byte[] arp = new byte[42];
        arp[12] = 0x08;
        arp[13] = 0x06;
        CaptureWriter w = new CaptureWriter(DemoCaptures.START)
                .tcp(Link.ETHERNET, "10.0.0.5", 50001, "198.51.100.30", 443, ClientHellos.of("a.example.com"), 1000);
        w.frames().add(1, new CaptureWriter.Frame(DemoCaptures.START, 1, arp, false));
        w.frames().add(new CaptureWriter.Frame(DemoCaptures.START.plusSeconds(1), 1, arp, false));

        Capture c = read("arp.pcap", w.pcap(ByteOrder.LITTLE_ENDIAN, false));

        assertThat(c.skipped()).containsExactly("2 packets: not IP (ethertype 0x0806) (first: packet 2)");
        assertThat(c.flows()).extracting(CapturedFlow::sni).containsExactly("a.example.com");
    }

    @Test
    void clientBytesThatAreNeitherTlsNorHttpAreOther() throws Exception {
        byte[] junk = new byte[20_000];
        java.util.Arrays.fill(junk, (byte) 'A');
        CaptureWriter w = new CaptureWriter(DemoCaptures.START)
                .tcp(Link.ETHERNET, "10.0.0.5", 50001, "198.51.100.30", 25, http("EHLO x\n"), 1000)
                .tcp(Link.ETHERNET, "10.0.0.5", 50002, "198.51.100.30", 80, junk, 1400);

        Capture c = read("other.pcap", w.pcap(ByteOrder.LITTLE_ENDIAN, false));

        assertThat(c.flows()).extracting(CapturedFlow::protocol, CapturedFlow::host, CapturedFlow::note)
                .containsExactly(tuple("other", null, null), tuple("other", null, null));
    }
    @Test
    void anHttpRequestWithoutHostSaysSo() throws Exception {
        CaptureWriter w = new CaptureWriter(DemoCaptures.START)
                .tcp(Link.ETHERNET, "10.0.0.5", 50001, "198.51.100.30", 80, http("GET / HTTP/1.0\nAccept: */*\n\n"), 10);

        Capture c = read("nohost.pcap", w.pcap(ByteOrder.LITTLE_ENDIAN, false));

        assertThat(c.flows()).extracting(CapturedFlow::protocol, CapturedFlow::host, CapturedFlow::note)
                .containsExactly(tuple("http", null, "HTTP request without a Host header"));
    }
}
