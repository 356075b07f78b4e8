package org.opgate.replay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.opgate.flow.IpAddress;
import org.opgate.gateway.http.HttpProxyHandler;
import org.opgate.gateway.sni.ClientHello;
import org.opgate.gateway.sni.ClientHelloParser;

/**
 * One TCP flow being read: collects the client's segments by sequence number and, as soon as
 * the bytes from the start of its stream are in order, reads a TLS ClientHello or an HTTP request
 * head from them, or a proxy handshake (HTTP CONNECT, SOCKS5) and then the ClientHello sent
 * through the tunnel. Out-of-order segments wait for the gap to fill; a retransmission of bytes
 * already held changes nothing (the first copy wins). Stops at {@link #CAP} client bytes.
 * Not thread-safe.
 */
final class TcpFlow {

    /** Client bytes read per flow at most. */
    static final int CAP = 16 * 1024;

    private static final int MAX_METHOD = 16;
    private static final byte TLS_HANDSHAKE = 0x16;
    private static final Pattern REQUEST_LINE = Pattern.compile("[A-Z]+ \\S+ HTTP/\\d(\\.\\d)?\r?");

    final IpAddress client;
    final int clientPort;
    final IpAddress server;
    final int serverPort;
    final int firstPacket;
    final Instant first;
    final String dns;

    private boolean synSeen;
    private int isn;
    private boolean anchored;
    private int anchor;                  // sequence number that offset 0 stands for
    private final TreeMap<Integer, byte[]> segments = new TreeMap<>();
    private boolean done;
    private String protocol = "none";
    private String tunnel;               // TunnelHead.CONNECT or SOCKS5 once the client's bytes say so
    private TunnelHead head;             // once the proxy handshake is complete
    private String sni;
    private String host;                 // the Host header of a request sent directly
    private String note;

    TcpFlow(IpAddress client, int clientPort, IpAddress server, int serverPort, int firstPacket, Instant first,
            String dns) {
        this.client = client;
        this.clientPort = clientPort;
        this.server = server;
        this.serverPort = serverPort;
        this.firstPacket = firstPacket;
        this.first = first;
        this.dns = dns;
    }

    boolean synSeen() {
        return synSeen;
    }

    int isn() {
        return isn;
    }

    /** The client's SYN: its sequence number is one before the first byte of the stream. */
    void clientSyn(int seq) {
        synSeen = true;
        isn = seq;
    }

    /** A client segment with data. */
    void clientData(int seq, byte[] payload) {
        if (done || payload.length == 0) {
            return;
        }
        if (!anchored) {
            anchored = true;
            anchor = synSeen ? isn + 1 : seq;
        }
        int offset = seq - anchor;  // wraps like TCP sequence arithmetic
        if (synSeen && offset < 0) {
            // Before the stream's first byte: only the part from the start is data.
            if (offset + payload.length <= 0) {
                return;
            }
            byte[] rest = new byte[payload.length + offset];
            System.arraycopy(payload, -offset, rest, 0, rest.length);
            payload = rest;
            offset = 0;
        }
        if (offset - start() >= CAP) {
            return;
        }
        byte[] have = segments.get(offset);
        if (have == null || have.length < payload.length) {
            segments.put(offset, payload);
        }
        inspect(assemble());
    }

    /** Where the stream starts: offset 0 after a SYN, else the lowest offset seen. */
    private int start() {
        return synSeen || segments.isEmpty() ? 0 : Math.min(0, segments.firstKey());
    }

    /** The client's bytes from the start of its stream up to the first gap, at most {@link #CAP}. */
    private byte[] assemble() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = start();
        for (Map.Entry<Integer, byte[]> e : segments.tailMap(pos, true).entrySet()) {
            int at = e.getKey();
            byte[] b = e.getValue();
            if (at > pos) {
                break;
            }
            int from = pos - at;
            if (from < b.length) {
                int n = Math.min(b.length - from, CAP - out.size());
                out.write(b, from, n);
                pos += n;
            }
            if (out.size() >= CAP) {
                break;
            }
        }
        return out.toByteArray();
    }

    /**
     * Reads the client's bytes from the start of its stream (all of them again each time more
     * arrive in sequence): a proxy handshake first when there is one, then what it carries.
     */
    private void inspect(byte[] b) {
        if (b.length == 0) {
            return;
        }
        if (head == null) {
            if (b[0] == TLS_HANDSHAKE) {
                hello(b, b.length, "");
                return;
            }
            if (Socks5Handshake.looksLikeGreeting(b)) {
                socks5(b);
            } else {
                http(b);
            }
            if (head == null) {
                return;
            }
        }
        byte[] inner = Arrays.copyOfRange(b, head.length(), b.length);
        if (inner.length == 0) {
            return;
        }
        if (inner[0] == TLS_HANDSHAKE) {
            hello(inner, b.length, " inside the tunnel");
        } else {
            protocol = requestLine(inner) ? "http" : "other";
            done = true;
        }
    }

    /** A TLS ClientHello at the start of {@code b}; {@code read} client bytes in all, at most {@link #CAP}. */
    private void hello(byte[] b, int read, String where) {
        protocol = "tls";
        ByteBuf buf = Unpooled.wrappedBuffer(b);
        ClientHello hello;
        try {
            hello = ClientHelloParser.parse(buf, CAP);
        } finally {
            buf.release();
        }
        switch (hello.status()) {
            case COMPLETE -> {
                sni = hello.sni();
                done = true;
            }
            case NEED_MORE -> {
                if (read >= CAP) {
                    note = "TLS ClientHello" + where + " incomplete after " + CAP + " bytes";
                    done = true;
                }
            }
            default -> {
                note = "TLS ClientHello" + where + " unreadable: " + hello.error();
                done = true;
            }
        }
    }

    private void socks5(byte[] b) {
        tunnel = TunnelHead.SOCKS5;
        Socks5Handshake.Read r = Socks5Handshake.read(b);
        switch (r.status()) {
            case TUNNEL -> head = r.head();
            case GARBLED -> {
                note = r.error();
                done = true;
            }
            default -> {
                if (b.length >= CAP) {
                    note = "SOCKS5 handshake longer than " + CAP + " bytes";
                    done = true;
                }
            }
        }
    }

    /** Whether {@code b} starts like an HTTP request: an upper-case method and a space. */
    private static boolean method(byte[] b) {
        int method = 0;
        while (method < b.length && method <= MAX_METHOD && b[method] >= 'A' && b[method] <= 'Z') {
            method++;
        }
        return method > 0 && method <= MAX_METHOD && (method == b.length || b[method] == ' ');
    }

    /** Whether {@code b} starts with an HTTP request line (or the start of one, cut short). */
    private static boolean requestLine(byte[] b) {
        if (!method(b)) {
            return false;
        }
        int lineEnd = indexOf(b, (byte) '\n');
        return lineEnd < 0 || REQUEST_LINE.matcher(new String(b, 0, lineEnd, StandardCharsets.ISO_8859_1)).matches();
    }

    private void http(byte[] b) {
        if (!requestLine(b)) {
            protocol = "other";     // not even a word and a space; or no HTTP version: SMTP, POP3, …
            done = true;
            return;
        }
        protocol = "http";
        int end = headEnd(b);
        if (end < 0) {
            if (b.length >= CAP) {
                note = "HTTP request head longer than " + CAP + " bytes";
                done = true;
            }
            return;
        }
        String text = new String(b, 0, end, StandardCharsets.ISO_8859_1);
        if (text.startsWith("CONNECT ")) {
            connect(text, b[end + 1] == '\n' ? end + 2 : end + 3);
            return;
        }
        done = true;
        hostHeader(text);
    }

    private static int indexOf(byte[] b, byte value) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the line feed that ends the head's last line (before the empty line), or -1. */
    private static int headEnd(byte[] b) {
        for (int i = 0; i + 1 < b.length; i++) {
            if (b[i] == '\n' && (b[i + 1] == '\n' || (b[i + 1] == '\r' && i + 2 < b.length && b[i + 2] == '\n'))) {
                return i;
            }
        }
        return -1;
    }

    /** A CONNECT head of {@code length} bytes: the tunnel's target, as the http listener reads it. */
    private void connect(String text, int length) {
        tunnel = TunnelHead.CONNECT;
        String[] lines = text.split("\r?\n");
        String[] request = lines[0].split(" ");
        String target = request.length < 2 ? "" : request[1];
        int colon = target.lastIndexOf(':');
        int port = -1;
        if (colon > 0 && colon > target.lastIndexOf(']')) {
            try {
                port = Integer.parseInt(target.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        if (port < 1 || port > 65535) {
            note = "CONNECT target '" + target + "' has no port 1..65535";
            done = true;
            return;
        }
        String user = null;
        for (int i = 1; i < lines.length; i++) {
            String value = header(lines[i], "proxy-authorization");
            if (value != null) {
                user = HttpProxyHandler.basicUser(value);   // as the http listener reads it
            }
        }
        head = new TunnelHead(TunnelHead.CONNECT, stripBrackets(target.substring(0, colon)), port, user, length);
    }

    private void hostHeader(String text) {
        String[] lines = text.split("\r?\n");
        if (lines[0].split(" ").length < 2) {
            note = "HTTP request line '" + lines[0] + "' has no target";
            return;
        }
        for (int i = 1; i < lines.length; i++) {
            String value = header(lines[i], "host");
            if (value != null) {
                int port = value.lastIndexOf(':');
                if (port > 0 && port > value.lastIndexOf(']')) {
                    value = value.substring(0, port);
                }
                host = value.isEmpty() ? null : stripBrackets(value);
                return;
            }
        }
        note = "HTTP request without a Host header";
    }

    /** The value of {@code line} when it is the header {@code name} (lower case), else null. */
    private static String header(String line, String name) {
        int colon = line.indexOf(':');
        return colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)
                ? line.substring(colon + 1).trim() : null;
    }

    private static String stripBrackets(String h) {
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    /** What the flow shows once the capture has ended. */
    CapturedFlow toCaptured() {
        String why = note;
        if (!done && why == null && !segments.isEmpty()) {
            why = unfinished(assemble().length);
        }
        return head == null
                ? new CapturedFlow(client, clientPort, server, serverPort, firstPacket, first, protocol, tunnel, host, 0,
                        null, sni, dns, why)
                : new CapturedFlow(client, clientPort, server, serverPort, firstPacket, first, protocol, tunnel,
                        head.host(), head.port(), head.user(), sni, dns, why);
    }

    /** Why reading stopped short when the capture ended with {@code have} client bytes in sequence, or null. */
    private String unfinished(int have) {
        String in = " (" + have + " bytes in sequence)";
        if (have == 0) {
            return "the client's first bytes are missing (a gap before the segments captured)";
        }
        if (head != null) {
            // Nothing sent through the tunnel is no problem: a refused tunnel carries nothing.
            return protocol.equals("tls") ? "the capture ends before the TLS ClientHello inside the tunnel is complete" + in
                    : null;
        }
        if (TunnelHead.SOCKS5.equals(tunnel)) {
            return "the capture ends before the SOCKS5 handshake is complete" + in;
        }
        return switch (protocol) {
            case "tls" -> "the capture ends before the TLS ClientHello is complete" + in;
            case "http" -> "the capture ends before the HTTP request head is complete" + in;
            default -> null;
        };
    }
}
