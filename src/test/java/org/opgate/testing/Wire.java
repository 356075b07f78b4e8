package org.opgate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Raw-socket helpers for talking to the gateway the way real clients do: HTTP heads and
 * responses read byte by byte, CONNECT tunnels, TLS over a tunnel, and telling a close from a
 * reset. Every socket has a read timeout, so a test that waits for the gateway in vain fails
 * instead of hanging.
 */
public final class Wire {

    /** Read timeout of every socket made here. */
    public static final int READ_TIMEOUT_MILLIS = 10_000;

    private Wire() {
    }

    /** An HTTP response as read off the wire; header names lower-cased. */
    public record HttpReply(int status, String statusLine, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** A plain socket to {@code address} with TCP_NODELAY and the read timeout. */
    public static Socket connect(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(READ_TIMEOUT_MILLIS);
        s.connect(address, READ_TIMEOUT_MILLIS);
        return s;
    }

    /**
     * Like {@link #connect}, from {@code local} (any 127.x address on Linux): the gateway then
     * sees a client of the operator whose pool holds it, such as 127.2.0.9 for Ufone.
     */
    public static Socket connectFrom(InetAddress local, InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(READ_TIMEOUT_MILLIS);
        s.bind(new InetSocketAddress(local, 0));
        s.connect(address, READ_TIMEOUT_MILLIS);
        return s;
    }

    /**
     * Writes {@code message} (UTF-8) and reads back as many bytes; fails unless they are the same
     * (for an echoing upstream, such as simnet's TLS server after the handshake).
     */
    public static void echo(Socket s, String message) throws IOException {
        byte[] sent = message.getBytes(StandardCharsets.UTF_8);
        send(s, sent);
        byte[] back = s.getInputStream().readNBytes(sent.length);
        if (!Arrays.equals(sent, back)) {
            throw new AssertionError("echo of '" + message + "' came back as '" + new String(back, StandardCharsets.UTF_8) + "'");
        }
    }

    /** Writes {@code text} (ISO-8859-1) and flushes. */
    public static void send(Socket s, String text) throws IOException {
        send(s, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public static void send(Socket s, byte[] bytes) throws IOException {
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
    }

    /** Sends {@code CONNECT target HTTP/1.1} and reads the response head (and body, if any). */
    public static HttpReply connectRequest(Socket s, String target) throws IOException {
        send(s, "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n");
        return readReply(s.getInputStream(), false);
    }

    /**
     * Sends {@code CONNECT target} with {@code Proxy-Authorization: Basic} naming {@code user}
     * (an MSISDN picks the operator and is the subscriber) and reads the response head.
     */
    public static HttpReply connectRequest(Socket s, String target, String user) throws IOException {
        String basic = Base64.getEncoder().encodeToString((user + ":x").getBytes(StandardCharsets.UTF_8));
        send(s, "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\nProxy-Authorization: Basic " + basic
                + "\r\n\r\n");
        return readReply(s.getInputStream(), false);
    }

    /**
     * A CONNECT tunnel through the http listener at {@code proxy} to {@code target}.
     *
     * @throws AssertionError if the gateway does not answer 200
     */
    public static Socket connectTunnel(InetSocketAddress proxy, String target) throws IOException {
        Socket s = connect(proxy);
        HttpReply r = connectRequest(s, target);
        if (r.status() != 200) {
            s.close();
            throw new AssertionError("CONNECT " + target + " got " + r.statusLine() + " " + r.headers() + " " + r.body());
        }
        return s;
    }

    /**
     * Reads one HTTP response: the head up to the blank line, then a body of Content-Length bytes
     * (none without the header, unless {@code toEnd}, which reads until the peer closes).
     */
    public static HttpReply readReply(InputStream in, boolean toEnd) throws IOException {
        String head = readHead(in);
        String[] lines = head.split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        String[] statusParts = lines[0].split(" ", 3);
        if (statusParts.length < 2 || !statusParts[0].startsWith("HTTP/")) {
            throw new AssertionError("not an HTTP status line: '" + lines[0] + "'");
        }
        int status = Integer.parseInt(statusParts[1]);
        byte[] body;
        String length = headers.get("content-length");
        if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else if (toEnd) {
            body = in.readAllBytes();
        } else {
            body = new byte[0];
        }
        return new HttpReply(status, lines[0], headers, new String(body, StandardCharsets.UTF_8));
    }

    /** The bytes up to and including the first blank line ({@code \r\n\r\n}), without the blank line. */
    public static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("connection ended inside an HTTP head: '"
                        + head.toString(StandardCharsets.ISO_8859_1) + "'");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
        }
        String s = head.toString(StandardCharsets.ISO_8859_1);
        return s.substring(0, s.length() - 4);
    }

    /**
     * TLS over an established tunnel or raw connection, with {@code sni} as server name and a
     * handshake already completed. Trusts any certificate (simnet's is self-signed).
     */
    public static SSLSocket tls(Socket over, String sni) throws IOException {
        SSLSocket ssl = (SSLSocket) trustAll().getSocketFactory().createSocket(over, sni, over.getPort(), true);
        ssl.setSoTimeout(READ_TIMEOUT_MILLIS);
        ssl.startHandshake();
        return ssl;
    }

    /** GETs {@code /} with {@code Connection: close} over {@code s} and reads the whole response. */
    public static HttpReply get(Socket s, String host) throws IOException {
        send(s, "GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
        return readReply(s.getInputStream(), true);
    }

    /**
     * Waits up to {@code bound} for the peer to end the connection, and says how: "closed" (end of
     * stream), "reset" (connection reset), or "open" if it was still open when the bound ran out.
     * Bytes that arrive meanwhile are read and dropped.
     */
    public static String awaitEnd(Socket s, Duration bound) throws IOException {
        int old = s.getSoTimeout();
        long deadline = System.nanoTime() + bound.toNanos();
        try {
            byte[] buf = new byte[4096];
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return "open";
                }
                s.setSoTimeout((int) Math.max(1, left));
                try {
                    if (s.getInputStream().read(buf) < 0) {
                        return "closed";
                    }
                } catch (SocketTimeoutException e) {
                    return "open";
                } catch (SocketException e) {
                    String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
                    if (m.contains("reset") || m.contains("broken pipe") || m.contains("aborted")) {
                        return "reset";
                    }
                    throw e;
                }
            }
        } finally {
            if (!s.isClosed()) {
                s.setSoTimeout(old);
            }
        }
    }

    /** Waits up to {@link Await#DEFAULT} for the peer to end the connection; "closed" or "reset". */
    public static String awaitEnd(Socket s) throws IOException {
        return awaitEnd(s, Await.DEFAULT);
    }

    /** A TLS context that trusts every certificate and checks no host name. */
    public static SSLContext trustAll() {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, new TrustManager[] {new TrustAll()}, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS context", e);
        }
    }

    /**
     * Trusts anything. Extended, so the JDK does not wrap it in its own host name check (which the
     * certificate of simnet, made out to simnet.opgate.invalid, would fail).
     */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
