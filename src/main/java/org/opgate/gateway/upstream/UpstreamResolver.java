package org.opgate.gateway.upstream;

import io.netty.util.concurrent.Future;
import org.opgate.flow.Flow;

/**
 * Where an allowed flow's upstream connection goes. In simulated mode every name resolves
 * through simnet; real DNS and non-loopback upstreams are opt-in. Implementations are
 * thread-safe and never block the calling event loop: the answer comes as a future completed on
 * {@code executor}-independent threads (callers re-enter their own event loop).
 */
public interface UpstreamResolver {

    /**
     * Resolves the destination of {@code flow} (its requested host, else its SNI, else its
     * address; and its port).
     *
     * @return a future that succeeds with an {@link UpstreamTarget} or a refusal; it fails only on
     *         an unexpected error
     */
    Future<UpstreamTarget> resolve(Flow flow);
}
