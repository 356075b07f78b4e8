package org.opgate.replay;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.opgate.flow.IpAddress;

/**
 * Builds small captures for tests: frames (Ethernet with VLAN tags, Linux cooked v1/v2, loopback,
 * raw IP) around IPv4 or IPv6 with TCP or UDP (checksums filled in), whole TCP conversations,
 * DNS answers, and writes them as pcap (either byte order, µs or ns) or pcapng (one interface per
 * link type, enhanced or simple packet blocks).
 *
 * <pre>
 * CaptureWriter w = new CaptureWriter(Instant.parse("2015-12-01T05:00:00Z"));
 * w.add(LINKTYPE_ETHERNET, CaptureWriter.ethernet(CaptureWriter.udp(dns, client, 53, 5353, answer)));
 * w.tcp(Link.ETHERNET, client, 50001, server, 443, ClientHellos.of("a.example"), 200);
 * w.writePcap(file, ByteOrder.LITTLE_ENDIAN, false);
 * </pre>
 */
final class CaptureWriter {

    /** A frame: when, on which link type, and its bytes. {@code simple} writes it as a pcapng SPB. */
    record Frame(Instant time, int linkType, byte[] bytes, boolean simple) {
    }

    /** How IP packets are framed. */
    enum Link {
        ETHERNET(1), SLL(113), SLL2(276), NULL(0), RAW(101);

        final int type;

        Link(int type) {
            this.type = type;
        }

        byte[] frame(byte[] ip, int... vlans) {
            boolean v6 = (ip[0] & 0xf0) == 0x60;
            int ethertype = v6 ? 0x86dd : 0x0800;
            return switch (this) {
                case ETHERNET -> ethernet(ip, vlans);
                case SLL -> concat(new byte[] {0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0},
                        u16(ethertype), ip);
                case SLL2 -> concat(u16(ethertype), new byte[] {0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0}, ip);
                case NULL -> concat(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v6 ? 30 : 2).array(), ip);
                case RAW -> ip.clone();
            };
        }
    }

    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int PSH = 0x08;
    static final int ACK = 0x10;

    private final List<Frame> frames = new ArrayList<>();
    private Instant clock;

    CaptureWriter(Instant start) {
        this.clock = start;
    }

    List<Frame> frames() {
        return frames;
    }

    /** Adds a frame one millisecond after the previous one. */
    CaptureWriter add(Link link, byte[] ip, int... vlans) {
        frames.add(new Frame(clock, link.type, link.frame(ip, vlans), false));
        clock = clock.plus(Duration.ofMillis(1));
        return this;
    }

    /** Adds a frame to be written as a pcapng simple packet block (no timestamp). */
    CaptureWriter addSimple(Link link, byte[] ip) {
        frames.add(new Frame(clock, link.type, link.frame(ip), true));
        clock = clock.plus(Duration.ofMillis(1));
        return this;
    }

    CaptureWriter skip(Duration d) {
        clock = clock.plus(d);
        return this;
    }

    /**
     * A whole TCP conversation: handshake, the client's bytes in segments of {@code mss} bytes each
     * acknowledged by the server, then FIN from the client.
     */
    CaptureWriter tcp(Link link, String client, int cport, String server, int sport, byte[] data, int mss,
                      int... vlans) {
        int cseq = 1000;
        int sseq = 5000;
        add(link, ip(client, server, 6, tcpHeader(client, server, cport, sport, cseq, 0, SYN, new byte[0])), vlans);
        add(link, ip(server, client, 6, tcpHeader(server, client, sport, cport, sseq, cseq + 1, SYN | ACK,
                new byte[0])), vlans);
        add(link, ip(client, server, 6, tcpHeader(client, server, cport, sport, cseq + 1, sseq + 1, ACK, new byte[0])),
                vlans);
        int seq = cseq + 1;
        for (byte[] seg : split(data, mss)) {
            add(link, ip(client, server, 6, tcpHeader(client, server, cport, sport, seq, sseq + 1, PSH | ACK, seg)),
                    vlans);
            seq += seg.length;
            add(link, ip(server, client, 6, tcpHeader(server, client, sport, cport, sseq + 1, seq, ACK, new byte[0])),
                    vlans);
        }
        add(link, ip(client, server, 6, tcpHeader(client, server, cport, sport, seq, sseq + 1, FIN | ACK, new byte[0])),
                vlans);
        return this;
    }

    /**
     * A whole TCP conversation in turns, the client first and then taking turns with the server
     * (a proxy handshake: request, reply, request, …): handshake, each turn in segments of
     * {@code mss} bytes each acknowledged by the other side, then FIN from the client. An empty
     * turn sends nothing.
     */
    CaptureWriter exchange(Link link, String client, int cport, String server, int sport, int mss, byte[]... turns) {
        int cseq = 3000;
        int sseq = 8000;
        add(link, ip(client, server, 6, tcpHeader(client, server, cport, sport, cseq, 0, SYN, new byte[0])));
        add(link, ip(server, client, 6, tcpHeader(server, client, sport, cport, sseq, cseq + 1, SYN | ACK, new byte[0])));
        int up = cseq + 1;
        int down = sseq + 1;
        add(link, ip(client, server, 6, tcpHeader(client, server, cport, sport, up, down, ACK, new byte[0])));
        for (int t = 0; t < turns.length; t++) {
            boolean fromClient = t % 2 == 0;
            for (byte[] seg : split(turns[t], mss)) {
                if (fromClient) {
                    add(link, ip(client, server, 6, tcpHeader(client, server, cport, sport, up, down, PSH | ACK, seg)));
                    up += seg.length;
                    add(link, ip(server, client, 6, tcpHeader(server, client, sport, cport, down, up, ACK, new byte[0])));
                } else {
                    add(link, ip(server, client, 6, tcpHeader(server, client, sport, cport, down, up, PSH | ACK, seg)));
                    down += seg.length;
                    add(link, ip(client, server, 6, tcpHeader(client, server, cport, sport, up, down, ACK, new byte[0])));
                }
            }
        }
        add(link, ip(client, server, 6, tcpHeader(client, server, cport, sport, up, down, FIN | ACK, new byte[0])));
        return this;
    }

    /**
     * A TCP conversation whose client segments go out in {@code order} (indices into the segments
     * of {@code mss} bytes); an index given twice is a retransmission.
     */
    CaptureWriter tcpReordered(Link link, String client, int cport, String server, int sport, byte[] data, int mss,
                               int... order) {
        int cseq = 77_000;
        int sseq = 9000;
        add(link, ip(client, server, 6, tcpHeader(client, server, cport, sport, cseq, 0, SYN, new byte[0])));
        add(link, ip(server, client, 6, tcpHeader(server, client, sport, cport, sseq, cseq + 1, SYN | ACK, new byte[0])));
        add(link, ip(client, server, 6, tcpHeader(client, server, cport, sport, cseq + 1, sseq + 1, ACK, new byte[0])));
        List<byte[]> segs = split(data, mss);
        for (int i : order) {
            add(link, ip(client, server, 6, tcpHeader(client, server, cport, sport, cseq + 1 + i * mss, sseq + 1,
                    PSH | ACK, segs.get(i))));
        }
        return this;
    }

    static List<byte[]> split(byte[] data, int mss) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < data.length; i += mss) {
            out.add(Arrays.copyOfRange(data, i, Math.min(data.length, i + mss)));
        }
        return out;
    }

    /** A UDP datagram in an IP packet. */
    static byte[] udp(String src, String dst, int sport, int dport, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload.length)).putShort((short) 0)
                .put(payload);
        byte[] seg = b.array();
        int sum = checksum(pseudo(src, dst, 17, seg.length), seg);
        seg[6] = (byte) (sum >> 8);
        seg[7] = (byte) sum;
        return ip(src, dst, 17, seg);
    }

    /** A TCP segment with a checksum over the pseudo header of {@code src} and {@code dst}. */
    static byte[] tcpHeader(String src, String dst, int sport, int dport, int seq, int ack, int flags, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
        b.putShort((short) sport).putShort((short) dport).putInt(seq).putInt(ack).put((byte) 0x50).put((byte) flags)
                .putShort((short) 65535).putShort((short) 0).putShort((short) 0).put(payload);
        byte[] seg = b.array();
        int sum = checksum(pseudo(src, dst, 6, seg.length), seg);
        seg[16] = (byte) (sum >> 8);
        seg[17] = (byte) sum;
        return seg;
    }

    /** An IPv4 or IPv6 packet (by the form of {@code src}) carrying {@code payload}. */
    static byte[] ip(String src, String dst, int protocol, byte[] payload) {
        byte[] s = addr(src);
        byte[] d = addr(dst);
        if (s.length == 4) {
            ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
            b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payload.length)).putShort((short) 1)
                    .putShort((short) 0x4000).put((byte) 64).put((byte) protocol).putShort((short) 0).put(s).put(d)
                    .put(payload);
            byte[] p = b.array();
            int sum = checksum(new byte[0], Arrays.copyOf(p, 20));
            p[10] = (byte) (sum >> 8);
            p[11] = (byte) sum;
            return p;
        }
        ByteBuffer b = ByteBuffer.allocate(40 + payload.length);
        b.putInt(0x6000_0000).putShort((short) payload.length).put((byte) protocol).put((byte) 64).put(s).put(d)
                .put(payload);
        return b.array();
    }

    /** An IPv6 packet whose payload follows a destination-options extension header. */
    static byte[] ipv6WithDestinationOptions(String src, String dst, int protocol, byte[] payload) {
        byte[] ext = {(byte) protocol, 0, 1, 4, 0, 0, 0, 0};   // next header, length 0 (8 bytes), PadN
        ByteBuffer b = ByteBuffer.allocate(40 + 8 + payload.length);
        b.putInt(0x6000_0000).putShort((short) (8 + payload.length)).put((byte) 60).put((byte) 64).put(addr(src))
                .put(addr(dst)).put(ext).put(payload);
        return b.array();
    }

    static byte[] ethernet(byte[] ip, int... vlans) {
        boolean v6 = (ip[0] & 0xf0) == 0x60;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1});
        for (int i = 0; i < vlans.length; i++) {
            out.writeBytes(u16(i == 0 && vlans.length > 1 ? 0x88a8 : 0x8100));
            out.writeBytes(u16(vlans[i]));
        }
        out.writeBytes(u16(v6 ? 0x86dd : 0x0800));
        out.writeBytes(ip);
        return out.toByteArray();
    }

    /**
     * A DNS response to {@code question} (type A or AAAA by the address) whose answer section is
     * the CNAME chain {@code question -> cnames[0] -> …} and then the address for the last name.
     */
    static byte[] dnsAnswer(String question, String address, String... cnames) {
        boolean v6 = addr(address).length == 16;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x12, 0x34, (byte) 0x81, (byte) 0x80, 0, 1});
        out.writeBytes(u16(cnames.length + 1));
        out.writeBytes(new byte[] {0, 0, 0, 0});
        out.writeBytes(name(question));
        out.writeBytes(u16(v6 ? 28 : 1));
        out.writeBytes(u16(1));
        String owner = question;
        for (String cname : cnames) {
            out.writeBytes(owner.equals(question) ? new byte[] {(byte) 0xc0, 12} : name(owner));
            out.writeBytes(u16(5));
            out.writeBytes(u16(1));
            out.writeBytes(new byte[] {0, 0, 0, 60});
            byte[] target = name(cname);
            out.writeBytes(u16(target.length));
            out.writeBytes(target);
            owner = cname;
        }
        out.writeBytes(name(owner));
        out.writeBytes(u16(v6 ? 28 : 1));
        out.writeBytes(u16(1));
        out.writeBytes(new byte[] {0, 0, 0, 60});
        byte[] a = addr(address);
        out.writeBytes(u16(a.length));
        out.writeBytes(a);
        return out.toByteArray();
    }

    /** A DNS query for {@code name} (type A). */
    static byte[] dnsQuery(String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0});
        out.writeBytes(name(name));
        out.writeBytes(u16(1));
        out.writeBytes(u16(1));
        return out.toByteArray();
    }

    static byte[] http(String head) {
        return head.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Writes pcap: one link type for all frames. */
    void writePcap(Path file, ByteOrder order, boolean nanos) throws IOException {
        Files.write(file, pcap(order, nanos));
    }

    byte[] pcap(ByteOrder order, boolean nanos) {
        int linkType = frames.isEmpty() ? 1 : frames.get(0).linkType();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(24).order(order).putInt(nanos ? 0xa1b23c4d : 0xa1b2c3d4).putShort((short) 2)
                .putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(linkType).array());
        for (Frame f : frames) {
            if (f.linkType() != linkType) {
                throw new IllegalStateException("pcap holds one link type; use pcapng for " + f.linkType());
            }
            long frac = nanos ? f.time().getNano() : f.time().getNano() / 1000;
            out.writeBytes(ByteBuffer.allocate(16).order(order).putInt((int) f.time().getEpochSecond()).putInt((int) frac)
                    .putInt(f.bytes().length).putInt(f.bytes().length).array());
            out.writeBytes(f.bytes());
        }
        return out.toByteArray();
    }

    /** Writes pcapng: one interface per link type in order of first use, timestamps in ns. */
    void writePcapng(Path file, ByteOrder order) throws IOException {
        Files.write(file, pcapng(order));
    }

    byte[] pcapng(ByteOrder order) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer shb = ByteBuffer.allocate(28).order(order);
        shb.putInt(0x0A0D0D0A).putInt(28).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1)
                .putInt(28);
        out.writeBytes(shb.array());
        List<Integer> interfaces = new ArrayList<>();
        for (Frame f : frames) {
            int id = interfaces.indexOf(f.linkType());
            if (id < 0) {
                id = interfaces.size();
                interfaces.add(f.linkType());
                // linktype, reserved, snaplen, option if_tsresol=9 (ns), end of options
                ByteBuffer idb = ByteBuffer.allocate(32).order(order);
                idb.putInt(1).putInt(32).putShort((short) f.linkType()).putShort((short) 0).putInt(0)
                        .putShort((short) 9).putShort((short) 1).put((byte) 9).put(new byte[3])
                        .putShort((short) 0).putShort((short) 0).putInt(32);
                out.writeBytes(idb.array());
            }
            byte[] data = f.bytes();
            int padded = (data.length + 3) & ~3;
            if (f.simple()) {
                if (id != 0) {
                    throw new IllegalStateException("a simple packet block belongs to interface 0");
                }
                int total = 16 + padded;
                out.writeBytes(ByteBuffer.allocate(total).order(order).putInt(3).putInt(total).putInt(data.length)
                        .put(data).put(new byte[padded - data.length]).putInt(total).array());
                continue;
            }
            long ns = f.time().getEpochSecond() * 1_000_000_000L + f.time().getNano();
            int total = 32 + padded;
            out.writeBytes(ByteBuffer.allocate(total).order(order).putInt(6).putInt(total).putInt(id)
                    .putInt((int) (ns >>> 32)).putInt((int) ns).putInt(data.length).putInt(data.length).put(data)
                    .put(new byte[padded - data.length]).putInt(total).array());
            // an unknown block (custom, type 0x00000BAD) that readers must skip
            if (frames.indexOf(f) == 0) {
                out.writeBytes(ByteBuffer.allocate(16).order(order).putInt(0xBAD).putInt(16).putInt(0).putInt(16).array());
            }
        }
        return out.toByteArray();
    }

    private static byte[] name(String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String label : name.split("\\.")) {
            out.write(label.length());
            out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        out.write(0);
        return out.toByteArray();
    }

    private static byte[] addr(String text) {
        IpAddress a = IpAddress.parse(text);
        return a.toInetAddress().getAddress();
    }

    private static byte[] pseudo(String src, String dst, int protocol, int length) {
        byte[] s = addr(src);
        byte[] d = addr(dst);
        ByteBuffer b = ByteBuffer.allocate(s.length * 2 + (s.length == 4 ? 4 : 8));
        b.put(s).put(d);
        if (s.length == 4) {
            b.put((byte) 0).put((byte) protocol).putShort((short) length);
        } else {
            b.putInt(length).put(new byte[3]).put((byte) protocol);
        }
        return b.array();
    }

    /** The Internet checksum (RFC 1071) over {@code a} then {@code b}. */
    private static int checksum(byte[] a, byte[] b) {
        byte[] all = concat(a, b);
        long sum = 0;
        for (int i = 0; i < all.length; i += 2) {
            sum += ((all[i] & 0xff) << 8) | (i + 1 < all.length ? all[i + 1] & 0xff : 0);
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    static byte[] u16(int v) {
        return new byte[] {(byte) (v >> 8), (byte) v};
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
