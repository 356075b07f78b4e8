package org.opgate.sim.population;

import java.net.InetSocketAddress;

/**
 * What the gateway told about a client connection that the client itself cannot see on the wire:
 * whether its tunnel was cut (rather than closed for another reason) and the reason of a refusal
 * that carries no text (a SOCKS5 reply code, a reset on the SNI listener). Filled from a gateway
 * observer; thread-safe.
 */
public interface GatewayNotes {

    /** True (once) if the gateway cut the tunnel of the client connection from {@code client}. */
    boolean wasCut(InetSocketAddress client);

    /** The reason of the last refusal decided for a client at this address, or null (taken once). */
    String refusalReason(InetSocketAddress client);

    GatewayNotes NONE = new GatewayNotes() {
        @Override
        public boolean wasCut(InetSocketAddress client) {
            return false;
        }

        @Override
        public String refusalReason(InetSocketAddress client) {
            return null;
        }
    };
}
