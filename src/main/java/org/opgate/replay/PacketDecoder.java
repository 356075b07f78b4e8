package org.opgate.replay;

import org.opgate.flow.IpAddress;

/**
 * Link layer, VLAN tags, IPv4 or IPv6 (and its extension headers), then TCP or UDP: the parts
 * of a {@link Packet} that replay needs. A packet that is not TCP or UDP over IP, or whose
 * headers are cut short, is skipped with the reason.
 *
 * <pre>
 * link types   0 NULL/loopback: family(4, host byte order) 2 = IPv4; 24, 28, 30 = IPv6
 *              1 Ethernet: dst(6) src(6) type(2), then 802.1Q/802.1ad tags (8100, 88a8, 9100), stacked
 *              12, 101 raw IP (version nibble)
 *              113 Linux cooked (SLL): 14 bytes, protocol(2)
 *              276 Linux cooked v2 (SLL2): protocol(2), 18 more bytes
 * </pre>
 */
final class PacketDecoder {

    static final int LINKTYPE_NULL = 0;
    static final int LINKTYPE_ETHERNET = 1;
    static final int LINKTYPE_RAW = 101;
    static final int LINKTYPE_LINUX_SLL = 113;
    static final int LINKTYPE_LINUX_SLL2 = 276;
    private static final int DLT_RAW = 12;

    static final int TCP = 6;
    static final int UDP = 17;

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86dd;

    private PacketDecoder() {
    }

    /**
     * A TCP segment or UDP datagram.
     *
     * @param protocol {@link #TCP} or {@link #UDP}
     * @param flags    TCP flags (0 for UDP)
     * @param seq      TCP sequence number (0 for UDP)
     * @param payload  the segment's or datagram's payload
     */
    record Transport(int protocol, IpAddress src, int srcPort, IpAddress dst, int dstPort, int flags, int seq,
                     byte[] payload) {
        static final int FIN = 0x01;
        static final int SYN = 0x02;
        static final int RST = 0x04;
        static final int ACK = 0x10;

        boolean has(int flag) {
            return (flags & flag) != 0;
        }
    }

    /** Either a transport packet or why there is none. */
    record Decoded(Transport transport, String skipped) {
        static Decoded skip(String why) {
            return new Decoded(null, why);
        }
    }

    static Decoded decode(Packet p) {
        byte[] b = p.data();
        int at;
        int ethertype;
        switch (p.linkType()) {
            case LINKTYPE_ETHERNET -> {
                if (b.length < 14) {
                    return Decoded.skip("Ethernet header cut short: " + b.length + " of 14 bytes");
                }
                ethertype = Bytes.u16(b, 12);
                at = 14;
            }
            case LINKTYPE_LINUX_SLL -> {
                if (b.length < 16) {
                    return Decoded.skip("Linux cooked header cut short: " + b.length + " of 16 bytes");
                }
                ethertype = Bytes.u16(b, 14);
                at = 16;
            }
            case LINKTYPE_LINUX_SLL2 -> {
                if (b.length < 20) {
                    return Decoded.skip("Linux cooked v2 header cut short: " + b.length + " of 20 bytes");
                }
                ethertype = Bytes.u16(b, 0);
                at = 20;
            }
            case LINKTYPE_NULL -> {
                if (b.length < 4) {
                    return Decoded.skip("loopback header cut short: " + b.length + " of 4 bytes");
                }
                // The family is in the byte order of the machine that captured; families are small.
                int family = Bytes.u32(b, 0, true);
                if ((family & 0xffff0000) != 0) {
                    family = Bytes.u32(b, 0, false);
                }
                ethertype = family == 2 ? ETHERTYPE_IPV4 : family == 24 || family == 28 || family == 30
                        ? ETHERTYPE_IPV6 : -family;
                at = 4;
                if (ethertype < 0) {
                    return Decoded.skip("loopback address family " + family + " (expected: 2 IPv4, or 24, 28, 30 IPv6)");
                }
            }
            case LINKTYPE_RAW, DLT_RAW -> {
                if (b.length < 1) {
                    return Decoded.skip("empty raw IP packet");
                }
                int version = (b[0] & 0xff) >> 4;
                ethertype = version == 4 ? ETHERTYPE_IPV4 : version == 6 ? ETHERTYPE_IPV6 : -1;
                at = 0;
            }
            default -> {
                return Decoded.skip("link type " + p.linkType()
                        + " (expected: 0 loopback, 1 Ethernet, 101 raw IP, 113 or 276 Linux cooked)");
            }
        }
        while (ethertype == 0x8100 || ethertype == 0x88a8 || ethertype == 0x9100) {
            if (b.length < at + 4) {
                return Decoded.skip("VLAN tag cut short");
            }
            ethertype = Bytes.u16(b, at + 2);
            at += 4;
        }
        if (ethertype == ETHERTYPE_IPV4) {
            return ipv4(b, at);
        }
        if (ethertype == ETHERTYPE_IPV6) {
            return ipv6(b, at);
        }
        return Decoded.skip(String.format("not IP (ethertype 0x%04x)", ethertype & 0xffff));
    }

    private static Decoded ipv4(byte[] b, int at) {
        if (b.length < at + 20) {
            return Decoded.skip("IPv4 header cut short: " + (b.length - at) + " of 20 bytes");
        }
        int version = (b[at] & 0xff) >> 4;
        int ihl = (b[at] & 0x0f) * 4;
        if (version != 4 || ihl < 20) {
            return Decoded.skip("IPv4 header with version " + version + " and length " + ihl
                    + " (expected: version 4, length at least 20)");
        }
        int total = Bytes.u16(b, at + 2);
        if (total < ihl) {
            return Decoded.skip("IPv4 total length " + total + " (expected: at least the header length " + ihl + ")");
        }
        int fragment = Bytes.u16(b, at + 6);
        if ((fragment & 0x3fff) != 0) {
            return Decoded.skip("IPv4 fragment (fragments are not reassembled)");
        }
        if (b.length < at + ihl) {
            return Decoded.skip("IPv4 options cut short");
        }
        int protocol = b[at + 9] & 0xff;
        IpAddress src = IpAddress.ofV4(Bytes.u32(b, at + 12));
        IpAddress dst = IpAddress.ofV4(Bytes.u32(b, at + 16));
        int end = Math.min(b.length, at + total);
        return transport(protocol, src, dst, b, at + ihl, end);
    }

    private static Decoded ipv6(byte[] b, int at) {
        if (b.length < at + 40) {
            return Decoded.skip("IPv6 header cut short: " + (b.length - at) + " of 40 bytes");
        }
        if ((b[at] & 0xff) >> 4 != 6) {
            return Decoded.skip("IPv6 header with version " + ((b[at] & 0xff) >> 4) + " (expected: 6)");
        }
        int payload = Bytes.u16(b, at + 4);
        int next = b[at + 6] & 0xff;
        IpAddress src = IpAddress.ofV6(Bytes.u64(b, at + 8), Bytes.u64(b, at + 16));
        IpAddress dst = IpAddress.ofV6(Bytes.u64(b, at + 24), Bytes.u64(b, at + 32));
        int end = payload == 0 ? b.length : Math.min(b.length, at + 40 + payload);
        int pos = at + 40;
        while (true) {
            switch (next) {
                case 0, 43, 60, 135 -> {   // hop-by-hop, routing, destination options, mobility
                    if (end < pos + 8) {
                        return Decoded.skip("IPv6 extension header " + next + " cut short");
                    }
                    int len = ((b[pos + 1] & 0xff) + 1) * 8;
                    next = b[pos] & 0xff;
                    pos += len;
                }
                case 44 -> {               // fragment
                    if (end < pos + 8) {
                        return Decoded.skip("IPv6 fragment header cut short");
                    }
                    if ((Bytes.u16(b, pos + 2) & 0xfff9) != 0) {
                        return Decoded.skip("IPv6 fragment (fragments are not reassembled)");
                    }
                    next = b[pos] & 0xff;
                    pos += 8;
                }
                case 51 -> {               // authentication header
                    if (end < pos + 8) {
                        return Decoded.skip("IPv6 authentication header cut short");
                    }
                    int len = ((b[pos + 1] & 0xff) + 2) * 4;
                    next = b[pos] & 0xff;
                    pos += len;
                }
                default -> {
                    return transport(next, src, dst, b, pos, end);
                }
            }
            if (pos > end) {
                return Decoded.skip("IPv6 extension headers run past the packet");
            }
        }
    }

    private static Decoded transport(int protocol, IpAddress src, IpAddress dst, byte[] b, int at, int end) {
        if (protocol == TCP) {
            if (end < at + 20) {
                return Decoded.skip("TCP header cut short: " + Math.max(0, end - at) + " of 20 bytes");
            }
            int offset = ((b[at + 12] & 0xff) >> 4) * 4;
            if (offset < 20 || end < at + offset) {
                return Decoded.skip("TCP data offset " + offset + " (expected: 20 to " + (end - at) + ")");
            }
            byte[] payload = new byte[end - at - offset];
            System.arraycopy(b, at + offset, payload, 0, payload.length);
            return new Decoded(new Transport(TCP, src, Bytes.u16(b, at), dst, Bytes.u16(b, at + 2), b[at + 13] & 0xff,
                    Bytes.u32(b, at + 4), payload), null);
        }
        if (protocol == UDP) {
            if (end < at + 8) {
                return Decoded.skip("UDP header cut short: " + Math.max(0, end - at) + " of 8 bytes");
            }
            int length = Bytes.u16(b, at + 4);
            int stop = length >= 8 ? Math.min(end, at + length) : end;
            byte[] payload = new byte[stop - at - 8];
            System.arraycopy(b, at + 8, payload, 0, payload.length);
            return new Decoded(new Transport(UDP, src, Bytes.u16(b, at), dst, Bytes.u16(b, at + 2), 0, 0, payload),
                    null);
        }
        return Decoded.skip("IP protocol " + protocol + " (neither TCP nor UDP)");
    }
}
