package org.opgate.gateway;

import org.opgate.config.Limits;
import org.opgate.gateway.enforce.Decider;
import org.opgate.gateway.enforce.TunnelRegistry;
import org.opgate.gateway.upstream.UpstreamResolver;

/**
 * The shared services every listener's handlers use. One per gateway; immutable.
 *
 * @param decider   flow and decision
 * @param upstreams where allowed flows connect
 * @param transport epoll or NIO
 * @param tunnels   open tunnels
 * @param observer  metrics and decision-log seam (guarded)
 */
public record GatewayContext(Decider decider, UpstreamResolver upstreams, Transport transport, TunnelRegistry tunnels,
                             GatewayObserver observer) {

    /** The limits of the config in force now. */
    public Limits limits() {
        return decider.runtime().config().limits();
    }
}
