package org.opgate.gateway.upstream;

import java.net.InetSocketAddress;

/**
 * The answer of an {@link UpstreamResolver}: an address to connect to, or why there is none.
 *
 * @param address where to connect, or null when refused
 * @param service name of the (simulated) service behind it, for logs; may be null
 * @param refusal why the flow cannot be connected, or null
 * @param kind    what sort of refusal
 */
public record UpstreamTarget(InetSocketAddress address, String service, String refusal, Refusal kind) {

    /** Why a destination was refused. */
    public enum Refusal {
        /** No refusal. */
        NONE,
        /** The name is unknown in the simulated network (HTTP 502, SOCKS 0x04). */
        UNKNOWN_HOST,
        /** The destination is outside what the config allows (non-loopback without opt-in). */
        NOT_ALLOWED
    }

    public static UpstreamTarget of(InetSocketAddress address, String service) {
        return new UpstreamTarget(address, service, null, Refusal.NONE);
    }

    public static UpstreamTarget unknownHost(String reason) {
        return new UpstreamTarget(null, null, reason, Refusal.UNKNOWN_HOST);
    }

    public static UpstreamTarget notAllowed(String reason) {
        return new UpstreamTarget(null, null, reason, Refusal.NOT_ALLOWED);
    }

    public boolean ok() {
        return address != null;
    }
}
