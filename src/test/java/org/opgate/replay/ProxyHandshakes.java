package org.opgate.replay;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.opgate.flow.IpAddress;

/** The bytes of proxy handshakes, both sides, for captures: HTTP CONNECT and SOCKS5 (RFC 1928, RFC 1929). */
final class ProxyHandshakes {

    static final byte[] CONNECT_OK = CaptureWriter.http("HTTP/1.1 200 Connection established\n\n");
    /** The server's choice of RFC 1929 user name and password. */
    static final byte[] SOCKS5_CHOSE_PASSWORD = {5, 2};
    static final byte[] SOCKS5_CHOSE_NO_AUTH = {5, 0};
    static final byte[] SOCKS5_AUTH_OK = {1, 0};
    /** Succeeded, bound to 127.0.0.1:40000. */
    static final byte[] SOCKS5_SUCCEEDED = {5, 0, 0, 1, 127, 0, 0, 1, (byte) 0x9c, 0x40};

    private ProxyHandshakes() {
    }

    /** {@code CONNECT target HTTP/1.1} with a Host header and the given header lines. */
    static byte[] connect(String target, String... headers) {
        StringBuilder s = new StringBuilder("CONNECT " + target + " HTTP/1.1\nHost: " + target + "\n");
        for (String h : headers) {
            s.append(h).append('\n');
        }
        return CaptureWriter.http(s.append('\n').toString());
    }

    /** The greeting offering {@code methods} (0 no authentication, 2 user name and password). */
    static byte[] greeting(int... methods) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(5);
        out.write(methods.length);
        for (int m : methods) {
            out.write(m);
        }
        return out.toByteArray();
    }

    /** The RFC 1929 sub-negotiation. */
    static byte[] auth(String user, String password) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(1);
        out.write(user.length());
        out.writeBytes(user.getBytes(StandardCharsets.US_ASCII));
        out.write(password.length());
        out.writeBytes(password.getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** A CONNECT request to a domain name. */
    static byte[] request(String domain, int port) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {5, 1, 0, 3, (byte) domain.length()});
        out.writeBytes(domain.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(CaptureWriter.u16(port));
        return out.toByteArray();
    }

    /** A CONNECT request to an IPv4 or IPv6 address. */
    static byte[] request(IpAddress address, int port) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {5, 1, 0, (byte) (address.isV4() ? 1 : 4)});
        out.writeBytes(address.toInetAddress().getAddress());
        out.writeBytes(CaptureWriter.u16(port));
        return out.toByteArray();
    }
}
