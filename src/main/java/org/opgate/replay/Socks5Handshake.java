package org.opgate.replay;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.opgate.flow.IpAddress;

/**
 * The client's side of a SOCKS5 handshake (RFC 1928) at the start of a flow's bytes: the
 * greeting ({@code 05 n methods}), the RFC 1929 user name and password sub-negotiation when the
 * client sends one ({@code 01 ulen user plen pass}; opgate's socks5 listener takes the user as the
 * subscriber), then the request ({@code 05 cmd 00 atyp addr port}). The server's answers are not
 * needed: a client sends the sub-negotiation only when the server chose it, and its first byte
 * (01, not 05) tells it from the request. Pure and total: any input gives a {@link Read}.
 */
final class Socks5Handshake {

    private static final int VERSION = 5;
    private static final int AUTH_VERSION = 1;
    private static final int CONNECT = 1;

    private Socks5Handshake() {
    }

    /**
     * What the bytes so far say.
     *
     * @param status where reading stands
     * @param head   the tunnel's head when {@link Status#TUNNEL}, else null
     * @param error  what is wrong when {@link Status#GARBLED}, else null
     */
    record Read(Status status, TunnelHead head, String error) {
    }

    enum Status {
        /** Not a SOCKS5 greeting. */
        NOT_SOCKS5,
        /** A SOCKS5 handshake so far, not yet complete. */
        NEED_MORE,
        /** A complete CONNECT request. */
        TUNNEL,
        /** It started as SOCKS5 and then went wrong. */
        GARBLED
    }

    /** Whether {@code b} can be the start of a SOCKS5 greeting: version 5 and at least one method. */
    static boolean looksLikeGreeting(byte[] b) {
        return b.length > 0 && b[0] == VERSION && (b.length < 2 || (b[1] & 0xff) > 0);
    }

    static Read read(byte[] b) {
        if (!looksLikeGreeting(b)) {
            return new Read(Status.NOT_SOCKS5, null, null);
        }
        if (b.length < 2) {
            return more();
        }
        int p = 2 + (b[1] & 0xff);
        if (b.length <= p) {
            return more();
        }
        String user = null;
        if (b[p] == AUTH_VERSION) {
            if (b.length < p + 2) {
                return more();
            }
            int ulen = b[p + 1] & 0xff;
            if (b.length < p + 2 + ulen + 1) {
                return more();
            }
            user = ulen == 0 ? null : new String(b, p + 2, ulen, StandardCharsets.US_ASCII);
            int plen = b[p + 2 + ulen] & 0xff;
            p += 2 + ulen + 1 + plen;
            if (b.length <= p) {
                return more();
            }
        }
        if (b[p] != VERSION) {
            return garbled(String.format("byte 0x%02x at offset %d after the greeting (expected: 01, the RFC 1929"
                    + " authentication, or 05, the request)", b[p] & 0xff, p));
        }
        if (b.length < p + 4) {
            return more();
        }
        int cmd = b[p + 1] & 0xff;
        int atyp = b[p + 3] & 0xff;
        int addr = p + 4;
        int addrLen;
        switch (atyp) {
            case 1 -> addrLen = 4;
            case 4 -> addrLen = 16;
            case 3 -> {
                if (b.length <= addr) {
                    return more();
                }
                addrLen = b[addr] & 0xff;
                if (addrLen == 0) {
                    return garbled("request with an empty domain name at offset " + addr);
                }
                addr++;
            }
            default -> {
                return garbled(String.format("request with address type 0x%02x at offset %d (expected: 01 IPv4,"
                        + " 03 domain name or 04 IPv6)", atyp, p + 3));
            }
        }
        int end = addr + addrLen + 2;
        if (b.length < end) {
            return more();
        }
        if (cmd != CONNECT) {
            return garbled(String.format("request command 0x%02x (expected: 01 CONNECT; BIND and UDP ASSOCIATE open no"
                    + " tunnel)", cmd));
        }
        String host = atyp == 3 ? new String(b, addr, addrLen, StandardCharsets.US_ASCII)
                : address(b, addr, addrLen);
        int port = ((b[addr + addrLen] & 0xff) << 8) | (b[addr + addrLen + 1] & 0xff);
        if (port == 0) {
            return garbled("request for port 0");
        }
        return new Read(Status.TUNNEL, new TunnelHead(TunnelHead.SOCKS5, host, port, user, end), null);
    }

    private static String address(byte[] b, int from, int len) {
        ByteBuffer buf = ByteBuffer.wrap(b, from, len);
        return (len == 4 ? IpAddress.ofV4(buf.getInt()) : IpAddress.ofV6(buf.getLong(), buf.getLong())).toString();
    }

    private static Read more() {
        return new Read(Status.NEED_MORE, null, null);
    }

    private static Read garbled(String why) {
        return new Read(Status.GARBLED, null, "SOCKS5 handshake unreadable: " + why);
    }
}
