package org.opgate.config;

import org.opgate.flow.IpAddress;

/**
 * A listening address: an IP literal (never a name, so binding needs no DNS) and a port;
 * port 0 asks the OS for a free one (tests).
 */
public record BindAddress(IpAddress host, int port) {

    /**
     * Parses {@code 127.0.0.1:3128} or {@code [::1]:3128}.
     *
     * @throws IllegalArgumentException with what is wrong and what was expected
     */
    public static BindAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        String expected = " (expected: address:port like 127.0.0.1:3128 or [::1]:3128)";
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' has no port" + expected);
        }
        String h = text.substring(0, colon);
        if (h.indexOf(':') >= 0 && !(h.startsWith("[") && h.endsWith("]"))) {
            throw new IllegalArgumentException("'" + text + "': an IPv6 address needs brackets" + expected);
        }
        IpAddress a = IpAddress.tryParse(h);
        if (a == null) {
            throw new IllegalArgumentException("'" + text + "': '" + h + "' is not an IP address" + expected);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': port is not a number" + expected);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("'" + text + "': port " + port + " out of range"
                    + " (expected: 0..65535, 0 for any free port)");
        }
        return new BindAddress(a, port);
    }

    @Override
    public String toString() {
        return (host.isV4() ? host.toString() : "[" + host + "]") + ":" + port;
    }
}
