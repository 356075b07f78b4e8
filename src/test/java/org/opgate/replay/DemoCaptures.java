package org.opgate.replay;

import static org.opgate.replay.CaptureWriter.dnsAnswer;
import static org.opgate.replay.CaptureWriter.dnsQuery;
import static org.opgate.replay.CaptureWriter.http;
import static org.opgate.replay.CaptureWriter.udp;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import org.opgate.replay.CaptureWriter.Link;
import org.opgate.testing.ClientHellos;

/**
 * The captures the replay tests read, and the ones committed under
 * {@code src/test/resources/captures/} (regenerate those with
 * {@code mvn -q test -Dtest=DemoCapturesTest -Dopgate.writeCaptures=true}).
 */
final class DemoCaptures {

    /** 2015-12-01T10:00+05:00: after the PTA deadline, so BES flows are blocked. */
    static final Instant START = Instant.parse("2015-12-01T05:00:00Z");

    static final String CLIENT = "10.0.0.5";
    static final String RESOLVER = "10.0.0.1";
    static final String SRP = "203.0.113.10";
    static final String BBM = "198.51.100.20";
    static final String PROXY = "192.0.2.1";
    static final String WEB = "198.51.100.30";
    /** A Ufone MSISDN, the SOCKS5 user of the tunnel in {@link #ethernet()}. */
    static final String SOCKS_USER = "923331234567";

    private DemoCaptures() {
    }

    /**
     * Ethernet/IPv4, packets in this order:
     * <ol>
     *   <li>1-2: DNS query and answer: gb.srp.blackberry.com CNAME srp-gb.example.net A 203.0.113.10</li>
     *   <li>3-10: 10.0.0.5:50001 → 203.0.113.10:3101, no TLS (BES SRP bytes): BES by the DNS name</li>
     *   <li>11-16: → 198.51.100.20:443, ClientHello goods.bbm.blackberry.com in 3 segments sent 2, 0, 2, 1
     *       (out of order, one retransmitted): BBM</li>
     *   <li>17-...: HTTP CONNECT gb.srp.blackberry.com:3101 through 192.0.2.1:8080, the proxy's 200, then
     *       a ClientHello without SNI (BES 4/5 sends none) through the tunnel: BES</li>
     *   <li>then, in 802.1ad + 802.1Q tags: ClientHello www.example.com to 198.51.100.30:443: OTHER</li>
     *   <li>then SOCKS5 through 192.0.2.1:1080 with RFC 1929 user 923331234567 (a Ufone MSISDN), to
     *       bis.na.blackberry.com:443, and a ClientHello for it through the tunnel: BIS, for Ufone</li>
     * </ol>
     */
    static CaptureWriter ethernet() {
        CaptureWriter w = new CaptureWriter(START);
        w.add(Link.ETHERNET, udp(CLIENT, RESOLVER, 5353, 53, dnsQuery("gb.srp.blackberry.com")));
        w.add(Link.ETHERNET, udp(RESOLVER, CLIENT, 53, 5353,
                dnsAnswer("gb.srp.blackberry.com", SRP, "srp-gb.example.net")));
        w.tcp(Link.ETHERNET, CLIENT, 50001, SRP, 3101, "SRP\0\1hello-bes".getBytes(), 1000);
        byte[] hello = ClientHellos.of("goods.bbm.blackberry.com", "h2");
        int mss = (hello.length + 2) / 3;
        w.tcpReordered(Link.ETHERNET, CLIENT, 50002, BBM, 443, hello, mss, 2, 0, 2, 1);
        w.exchange(Link.ETHERNET, CLIENT, 50003, PROXY, 8080, 1000,
                ProxyHandshakes.connect("gb.srp.blackberry.com:3101"), ProxyHandshakes.CONNECT_OK,
                ClientHellos.withoutSni());
        w.tcp(Link.ETHERNET, CLIENT, 50004, WEB, 443, ClientHellos.of("www.example.com"), 1000, 100, 200);
        w.exchange(Link.ETHERNET, CLIENT, 50005, PROXY, 1080, 1000,
                ProxyHandshakes.greeting(0, 2), ProxyHandshakes.SOCKS5_CHOSE_PASSWORD,
                ProxyHandshakes.auth(SOCKS_USER, "secret"), ProxyHandshakes.SOCKS5_AUTH_OK,
                ProxyHandshakes.request("bis.na.blackberry.com", 443), ProxyHandshakes.SOCKS5_SUCCEEDED,
                ClientHellos.of("bis.na.blackberry.com"));
        return w;
    }

    /**
     * Linux cooked v1/v2 and IPv6 in pcapng: a DNS AAAA answer for srs.bis.eu.blackberry.com,
     * then a TLS flow naming it in the SNI (BIS), on an SLL2 interface; an HTTP request with a Host
     * header on an Ethernet interface.
     */
    static CaptureWriter cookedIpv6() {
        CaptureWriter w = new CaptureWriter(START);
        w.add(Link.SLL2, udp("2001:db8::53", "2001:db8::5", 53, 5353,
                dnsAnswer("srs.bis.eu.blackberry.com", "2001:db8:bb::25")));
        w.tcp(Link.SLL2, "2001:db8::5", 40001, "2001:db8:bb::25", 443, ClientHellos.of("srs.bis.eu.blackberry.com"),
                400);
        w.tcp(Link.ETHERNET, CLIENT, 50010, "198.51.100.40", 80,
                http("GET / HTTP/1.1\nHost: smtp01.bis.na.blackberry.com:80\nAccept: */*\n\n"), 1000);
        return w;
    }

    /** Writes the committed captures into {@code dir}. */
    static void writeCommitted(Path dir) throws Exception {
        Files.createDirectories(dir);
        ethernet().writePcap(dir.resolve("demo.pcap"), ByteOrder.LITTLE_ENDIAN, false);
        cookedIpv6().writePcapng(dir.resolve("demo-cooked-ipv6.pcapng"), ByteOrder.LITTLE_ENDIAN);
        byte[] whole = ethernet().pcap(ByteOrder.BIG_ENDIAN, true);
        Files.write(dir.resolve("truncated.pcap"), Arrays.copyOf(whole, whole.length - 500));
    }
}
