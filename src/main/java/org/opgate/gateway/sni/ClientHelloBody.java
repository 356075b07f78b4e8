package org.opgate.gateway.sni;

import static org.opgate.gateway.sni.ClientHelloParser.HANDSHAKE_HEADER;
import static org.opgate.gateway.sni.ClientHelloParser.NEED_MORE;
import static org.opgate.gateway.sni.ClientHelloParser.RECORD_HEADER;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.opgate.flow.HostName;
import org.opgate.flow.IpAddress;
import org.opgate.gateway.sni.ClientHello.Status;

/**
 * Reads a ClientHello body whose records {@link ClientHelloParser} has already checked, through a
 * cursor over the handshake message reassembled from those records. Offsets named {@code off},
 * {@code helloEnd} and {@code available} count bytes of that message (0 is its type byte);
 * {@code index} and {@code recordEnd} are indices into the buffer.
 *
 * <p>Fields are read only once {@link #require} has found them inside the ClientHello and present;
 * a whole extension is present before its data is read. Strings are built only when the whole
 * ClientHello is present.
 */
final class ClientHelloBody {

    private static final int RANDOM = 32;
    private static final int MAX_SESSION_ID = 32;
    private static final int EXT_SERVER_NAME = 0;
    private static final int EXT_ALPN = 16;
    private static final int EXT_ECH = 0xfe0d;
    private static final int NAME_TYPE_HOST_NAME = 0;

    private final ByteBuf in;
    private final int helloEnd;
    private final int available;
    private final int completeLength;

    private int off;
    private int index;
    private int recordEnd;

    private String sni;
    private List<String> alpn = List.of();
    private boolean ech;
    private boolean sawServerName;
    private boolean sawAlpn;
    private ClientHello stop;

    private ClientHelloBody(ByteBuf in, int payloadStart, int firstRecordEnd, int helloEnd, int available,
                            int completeLength) {
        this.in = in;
        this.index = payloadStart;
        this.recordEnd = firstRecordEnd;
        this.helloEnd = helloEnd;
        this.available = available;
        this.completeLength = completeLength;
    }

    /**
     * Reads the body as far as it is present.
     *
     * @param payloadStart   buffer index of the first record's payload
     * @param firstRecordEnd buffer index where that payload ends (may lie past the writer index)
     * @param helloEnd       length of the handshake message, header included
     * @param available      bytes of the handshake message present
     * @param completeLength bytes from the reader index to the end of the record that completes
     *                       the ClientHello, or -1 if it is not all present
     */
    static ClientHello read(ByteBuf in, int payloadStart, int firstRecordEnd, int helloEnd, int available,
                            int completeLength) {
        ClientHelloBody body = new ClientHelloBody(in, payloadStart, firstRecordEnd, helloEnd, available,
                completeLength);
        body.skip(HANDSHAKE_HEADER);
        if (!body.body()) {
            return body.stop;
        }
        return body.complete() ? new ClientHello(Status.COMPLETE, body.sni, body.alpn, body.ech, completeLength, null)
                : NEED_MORE;
    }

    private boolean complete() {
        return completeLength >= 0;
    }

    private boolean body() {
        if (!require(2, "client_version")) {
            return false;
        }
        int version = u16();
        if (version >>> 8 != 3) {
            return fail("client_version " + (version >>> 8) + "." + (version & 0xFF) + " (expected: 3.x)");
        }
        if (!require(RANDOM, "random")) {
            return false;
        }
        skip(RANDOM);
        if (!require(1, "session_id length")) {
            return false;
        }
        int sessionId = u8();
        if (sessionId > MAX_SESSION_ID) {
            return fail("session_id of " + sessionId + " bytes (expected: at most " + MAX_SESSION_ID + ")");
        }
        if (!require(sessionId, "session_id")) {
            return false;
        }
        skip(sessionId);
        if (!require(2, "cipher_suites length")) {
            return false;
        }
        int suites = u16();
        if (suites < 2 || (suites & 1) != 0) {
            return fail("cipher_suites of " + suites + " bytes (expected: an even number, at least 2)");
        }
        if (!require(suites, "cipher_suites")) {
            return false;
        }
        skip(suites);
        if (!require(1, "compression_methods length")) {
            return false;
        }
        int methods = u8();
        if (methods == 0) {
            return fail("empty compression_methods (expected: at least the null method)");
        }
        if (!require(methods, "compression_methods")) {
            return false;
        }
        skip(methods);
        if (off == helloEnd) {
            return true; // no extensions block: allowed before TLS 1.3
        }
        if (!require(2, "extensions length")) {
            return false;
        }
        int extensions = u16();
        if (extensions != helloEnd - off) {
            return fail("extensions length " + extensions + " does not match the " + (helloEnd - off)
                    + " bytes left in the ClientHello");
        }
        while (off < helloEnd) {
            if (!extension()) {
                return false;
            }
        }
        return true;
    }

    private boolean extension() {
        if (!require(4, "extension header")) {
            return false;
        }
        int type = u16();
        int len = u16();
        if (len > helloEnd - off) {
            return fail(String.format("extension 0x%04x of %d bytes overruns the ClientHello (%d bytes left)",
                    type, len, helloEnd - off));
        }
        if (len > available - off) {
            return needMore();
        }
        int dataEnd = off + len;
        switch (type) {
            case EXT_SERVER_NAME:
                return serverName(dataEnd);
            case EXT_ALPN:
                return alpn(dataEnd);
            case EXT_ECH:
                if (ech) {
                    return fail("repeated encrypted_client_hello extension");
                }
                ech = true;
                skip(len);
                return true;
            default:
                skip(len);
                return true;
        }
    }

    /** server_name (RFC 6066 §3). */
    private boolean serverName(int dataEnd) {
        if (sawServerName) {
            return fail("repeated server_name extension");
        }
        sawServerName = true;
        if (dataEnd - off < 2) {
            return fail("server_name extension of " + (dataEnd - off) + " bytes (expected: a name list)");
        }
        int list = u16();
        if (list != dataEnd - off) {
            return fail("server_name list length " + list + " does not match the extension's " + (dataEnd - off)
                    + " bytes");
        }
        if (list == 0) {
            return fail("empty server_name list");
        }
        boolean sawHostName = false;
        while (off < dataEnd) {
            if (dataEnd - off < 3) {
                return fail("truncated server_name entry (" + (dataEnd - off) + " bytes left)");
            }
            int nameType = u8();
            int len = u16();
            if (len > dataEnd - off) {
                return fail("server_name entry of " + len + " bytes overruns the list (" + (dataEnd - off)
                        + " bytes left)");
            }
            if (nameType != NAME_TYPE_HOST_NAME) {
                skip(len); // RFC 6066 keeps this layout for future name types
            } else if (sawHostName) {
                return fail("second host_name in server_name (expected: one)");
            } else {
                sawHostName = true;
                if (!hostName(len)) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean hostName(int len) {
        if (len == 0) {
            return fail("empty host name in server_name");
        }
        if (len > HostName.MAX_LENGTH + 1) {
            return fail("host name of " + len + " bytes in server_name (expected: at most " + HostName.MAX_LENGTH + ")");
        }
        byte[] name = complete() ? new byte[len] : null;
        for (int i = 0; i < len; i++) {
            int c = u8();
            if (c < 0x21 || c > 0x7E) {
                return fail(String.format(
                        "host name in server_name has byte 0x%02x (expected: printable ASCII; IDNs as punycode)", c));
            }
            if (name != null) {
                name[i] = (byte) c;
            }
        }
        if (name == null) {
            return true;
        }
        String raw = new String(name, StandardCharsets.US_ASCII);
        String bare = raw.endsWith(".") ? raw.substring(0, raw.length() - 1) : raw;
        if (IpAddress.isLiteral(bare)) {
            return fail("SNI '" + raw + "' is an IP address (expected: a host name; RFC 6066 forbids literals)");
        }
        try {
            sni = HostName.normalize(raw);
        } catch (IllegalArgumentException e) {
            return fail("SNI " + e.getMessage());
        }
        return true;
    }

    /** application_layer_protocol_negotiation (RFC 7301 §3.1). */
    private boolean alpn(int dataEnd) {
        if (sawAlpn) {
            return fail("repeated application_layer_protocol_negotiation extension");
        }
        sawAlpn = true;
        if (dataEnd - off < 2) {
            return fail("ALPN extension of " + (dataEnd - off) + " bytes (expected: a protocol list)");
        }
        int list = u16();
        if (list != dataEnd - off) {
            return fail("ALPN list length " + list + " does not match the extension's " + (dataEnd - off) + " bytes");
        }
        if (list == 0) {
            return fail("empty ALPN protocol list");
        }
        List<String> names = complete() ? new ArrayList<>() : null;
        while (off < dataEnd) {
            int len = u8();
            if (len == 0) {
                return fail("empty ALPN protocol name");
            }
            if (len > dataEnd - off) {
                return fail("ALPN protocol name of " + len + " bytes overruns the list (" + (dataEnd - off)
                        + " bytes left)");
            }
            if (names != null) {
                names.add(latin1(len)); // opaque bytes; ISO-8859-1 as the JDK's SSLEngine reads them
            } else {
                skip(len);
            }
        }
        if (names != null) {
            alpn = names;
        }
        return true;
    }

    /**
     * True if {@code n} more bytes lie inside the ClientHello and are present; otherwise sets the
     * outcome (MALFORMED, or NEED_MORE) and returns false.
     */
    private boolean require(int n, String what) {
        if (n > helloEnd - off) {
            return fail(what + " of " + n + " bytes overruns the ClientHello (" + (helloEnd - off) + " bytes left)");
        }
        return n <= available - off || needMore();
    }

    private boolean fail(String error) {
        stop = ClientHelloParser.malformed(error);
        return false;
    }

    private boolean needMore() {
        stop = NEED_MORE;
        return false;
    }

    // The cursor. Only bytes that require() found present are read or skipped, so every record
    // header crossed here is present and was checked by ClientHelloParser.

    private int u8() {
        if (index == recordEnd) {
            nextRecord();
        }
        off++;
        return in.getUnsignedByte(index++);
    }

    private int u16() {
        int high = u8();
        return high << 8 | u8();
    }

    private void skip(int n) {
        off += n;
        while (n > 0) {
            if (index == recordEnd) {
                nextRecord();
            }
            int step = Math.min(n, recordEnd - index);
            index += step;
            n -= step;
        }
    }

    private String latin1(int n) {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) u8();
        }
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private void nextRecord() {
        int payload = recordEnd + RECORD_HEADER;
        recordEnd = (int) Math.min((long) payload + in.getUnsignedShort(recordEnd + 3), Integer.MAX_VALUE);
        index = payload;
    }
}
