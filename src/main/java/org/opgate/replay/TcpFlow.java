package org.opgate.replay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.opgate.flow.IpAddress;
import org.opgate.gateway.sni.ClientHello;
import org.opgate.gateway.sni.ClientHelloParser;

/**
 * One TCP flow being read: collects the client's segments by sequence number and, as soon as
 * the bytes from the start of its stream are in order, reads a TLS ClientHello or an HTTP request
 * head from them. Out-of-order segments wait for the gap to fill; a retransmission of bytes
 * already held changes nothing (the first copy wins). Stops at {@link #CAP} client bytes.
 * Not thread-safe.
 */
final class TcpFlow {

    /** Client bytes read per flow at most. */
    static final int CAP = 16 * 1024;

    private static final int MAX_METHOD = 16;
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
    private String sni;
    private String host;
    private int connectPort;
    private String protocol = "none";
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

    private void inspect(byte[] b) {
        if (b.length == 0) {
            return;
        }
        if (b[0] == 0x16) {
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
                    if (b.length >= CAP) {
                        note = "TLS ClientHello incomplete after " + CAP + " bytes";
                        done = true;
                    }
                }
                default -> {
                    note = "TLS ClientHello unreadable: " + hello.error();
                    done = true;
                }
            }
            return;
        }
        int method = 0;
        while (method < b.length && method <= MAX_METHOD && b[method] >= 'A' && b[method] <= 'Z') {
            method++;
        }
        if (method == 0 || method > MAX_METHOD || (method < b.length && b[method] != ' ')) {
            protocol = "other";
            done = true;
            return;
        }
        int lineEnd = indexOf(b, (byte) '\n');
        if (lineEnd >= 0 && !REQUEST_LINE.matcher(new String(b, 0, lineEnd, StandardCharsets.ISO_8859_1)).matches()) {
            protocol = "other";     // a word and a space, but no HTTP version: SMTP, POP3, …
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
        done = true;
        http(new String(b, 0, end, StandardCharsets.ISO_8859_1));
    }

    private static int indexOf(byte[] b, byte value) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static int headEnd(byte[] b) {
        for (int i = 0; i + 1 < b.length; i++) {
            if (b[i] == '\n' && (b[i + 1] == '\n' || (b[i + 1] == '\r' && i + 2 < b.length && b[i + 2] == '\n'))) {
                return i;
            }
        }
        return -1;
    }

    private void http(String head) {
        String[] lines = head.split("\r?\n");
        String[] request = lines[0].split(" ");
        if (request.length < 2) {
            note = "HTTP request line '" + lines[0] + "' has no target";
            return;
        }
        if (request[0].equals("CONNECT")) {
            String target = request[1];
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
                return;
            }
            host = stripBrackets(target.substring(0, colon));
            connectPort = port;
            return;
        }
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("host")) {
                String value = lines[i].substring(colon + 1).trim();
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

    private static String stripBrackets(String h) {
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    /** What the flow shows once the capture has ended. */
    CapturedFlow toCaptured() {
        String why = note;
        if (!done && why == null && !segments.isEmpty()) {
            byte[] have = assemble();
            if (have.length == 0) {
                why = "the client's first bytes are missing (a gap before the segments captured)";
            } else if (protocol.equals("tls")) {
                why = "the capture ends before the TLS ClientHello is complete (" + have.length + " bytes in sequence)";
            } else if (protocol.equals("http")) {
                why = "the capture ends before the HTTP request head is complete (" + have.length + " bytes in sequence)";
            }
        }
        return new CapturedFlow(client, clientPort, server, serverPort, firstPacket, first, sni, host, connectPort,
                dns, protocol, why);
    }
}
