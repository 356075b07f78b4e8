package org.opgate.bench.load;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Addresses on the command line: {@code host:port}, loopback only (the benchmark never leaves the machine). */
final class Targets {

    private Targets() {
    }

    static InetSocketAddress loopback(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected host:port, got '" + hostPort + "'");
        }
        String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        byte[] v4 = ipv4(host);
        try {
            InetAddress a = v4 != null ? InetAddress.getByAddress(v4) : InetAddress.getByName(host.isEmpty() ? "127.0.0.1" : host);
            if (!a.isLoopbackAddress()) {
                throw new IllegalArgumentException(hostPort + " is not a loopback address: the load benchmark stays on loopback");
            }
            return new InetSocketAddress(a, port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host in " + hostPort, e);
        }
    }

    /** The four bytes of a dotted IPv4 literal, or null when {@code s} is not one. */
    static byte[] ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
                return null;
            }
            int v = Integer.parseInt(parts[i]);
            if (v > 255) {
                return null;
            }
            b[i] = (byte) v;
        }
        return b;
    }

    /** The {@code i}-th client source address, 127.10.x.y with y in 1..254: spreads TIME_WAIT over many addresses. */
    static InetSocketAddress source(int i) {
        int x = (i / 254) & 0xff;
        int y = i % 254 + 1;
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 10, (byte) x, (byte) y}), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
