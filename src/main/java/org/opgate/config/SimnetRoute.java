package org.opgate.config;

import org.opgate.classify.HostPattern;
import org.opgate.flow.IpPrefix;
import org.opgate.source.SourceLocation;

/**
 * One simnet mapping: endpoints matching {@code host} (a name) or {@code cidr} (an address) are
 * served by a built-in server, or sent to 127.0.0.1 on the flow's port ({@link ServerKind#LOOPBACK}).
 *
 * @param host     name pattern, or null
 * @param cidr     address block, or null
 * @param server   built-in server kind
 * @param service  service name the server shows on its page
 * @param location where the route was written
 */
public record SimnetRoute(HostPattern host, IpPrefix cidr, ServerKind server, String service, SourceLocation location) {

    /** The built-in simnet servers. */
    public enum ServerKind {
        /** TLS with a self-signed certificate for any SNI; serves a page naming the service, echoes the rest. */
        TLS,
        /** Reads and discards everything. */
        SINK,
        /** Plain HTTP/1.1 page naming the service. */
        HTTP,
        /**
         * Echoes every byte back, with no handshake: for protocols that are not TLS (a BES
         * server's SRP link), so a simulated session gets its bytes back at little cost.
         */
        ECHO,
        /**
         * The SRP relay look-alike: echoes as {@link #ECHO} does, and disables an SRP id that logs
         * in more than 5 times within a minute of the gateway clock (a BES server's login line,
         * {@code SRP-LOGIN <id>}, is its first line).
         */
        SRP,
        /**
         * No built-in server: 127.0.0.1 on the flow's own port, where a program of one's own listens
         * (the load benchmark's echo and sink servers). A name route to it acts as a hosts-file entry.
         */
        LOOPBACK
    }
}
