package org.opgate.gateway;

import java.time.Instant;
import org.opgate.gateway.enforce.Outcome;
import org.opgate.gateway.enforce.Tunnel;

/**
 * What the gateway reports as it works: the narrow seam for metrics and the decision log.
 * Called on event-loop threads (and on the clock thread for cuts): implementations must be quick,
 * thread-safe and must never throw into forwarding (the gateway guards every call anyway).
 */
public interface GatewayObserver {

    /** A flow was decided (once per connection, again if the SNI peek revised it; per request for forward proxying). */
    default void decided(String listener, Outcome outcome) {
    }

    /**
     * A connection was refused before any decision could be made, or for a reason that is not a
     * policy verdict.
     *
     * @param reason bounded kind: bad-request, header-too-large, no-sni, not-tls, client-hello-too-large,
     *               handshake-timeout, limit-listener, limit-client, unknown-host, not-allowed,
     *               connect-failed, upstream-closed, unsupported-command, operator-unknown
     */
    default void refused(String listener, String reason, String detail) {
    }

    /** One flow was classified and decided in {@code nanos} (for the classify timer). */
    default void timed(long nanos) {
    }

    default void tunnelOpened(Tunnel tunnel) {
    }

    default void tunnelClosed(Tunnel tunnel) {
    }

    /** A tunnel is being cut because its class became blocked at {@code boundary}. */
    default void cut(Tunnel tunnel, Instant boundary) {
    }

    GatewayObserver NONE = new GatewayObserver() {
    };
}
