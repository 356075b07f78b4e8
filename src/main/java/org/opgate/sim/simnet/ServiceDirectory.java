package org.opgate.sim.simnet;

import java.util.List;
import java.util.Objects;
import org.opgate.config.SimnetRoute;
import org.opgate.flow.HostName;

/**
 * Which simulated service a name stands for, as the built-in servers show it on their pages: the
 * {@code service} of the first route whose host pattern matches the name, else the name itself.
 * CIDR routes play no part (a server only sees names: the SNI or the Host header). Immutable.
 */
final class ServiceDirectory {

    /** What a page says when the client gave no name at all (no SNI, no Host header). */
    static final String NO_NAME = "unnamed service";

    private final List<SimnetRoute> hostRoutes;

    ServiceDirectory(List<SimnetRoute> routes) {
        this.hostRoutes = Objects.requireNonNull(routes, "routes").stream().filter(r -> r.host() != null).toList();
    }

    /** The service for {@code name} (an SNI or a Host header value without port); null gives {@link #NO_NAME}. */
    String serviceFor(String name) {
        if (name == null || name.isEmpty()) {
            return NO_NAME;
        }
        String normalized;
        try {
            normalized = HostName.normalize(name);
        } catch (IllegalArgumentException e) {
            // Not a valid host name (an address literal, or junk): no route can match it.
            return name;
        }
        for (SimnetRoute r : hostRoutes) {
            if (r.host().matches(normalized)) {
                return r.service();
            }
        }
        return name;
    }

    /**
     * The host part of a Host header: {@code a.example:8080} gives {@code a.example},
     * {@code [::1]:80} gives {@code ::1}; null stays null.
     */
    static String hostOf(String hostHeader) {
        if (hostHeader == null) {
            return null;
        }
        String h = hostHeader.trim();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(1, end);
        }
        int colon = h.indexOf(':');
        // More than one colon is a bare IPv6 literal, not host:port.
        return colon >= 0 && colon == h.lastIndexOf(':') ? h.substring(0, colon) : h;
    }
}
