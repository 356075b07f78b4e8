package org.opgate.gateway;

import java.time.Instant;
import org.opgate.gateway.enforce.Outcome;
import org.opgate.gateway.enforce.Tunnel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wraps an observer so that a failure in recording is logged and never breaks forwarding. */
final class GuardedObserver implements GatewayObserver {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedObserver.class);

    private final GatewayObserver delegate;

    GuardedObserver(GatewayObserver delegate) {
        this.delegate = delegate;
    }

    private void guard(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("gateway observer failed", e);
        }
    }

    @Override
    public void decided(String listener, Outcome outcome) {
        guard(() -> delegate.decided(listener, outcome));
    }

    @Override
    public void refused(String listener, String reason, String detail) {
        guard(() -> delegate.refused(listener, reason, detail));
    }

    @Override
    public void timed(long nanos) {
        guard(() -> delegate.timed(nanos));
    }

    @Override
    public void tunnelOpened(Tunnel tunnel) {
        guard(() -> delegate.tunnelOpened(tunnel));
    }

    @Override
    public void tunnelClosed(Tunnel tunnel) {
        guard(() -> delegate.tunnelClosed(tunnel));
    }

    @Override
    public void cut(Tunnel tunnel, Instant boundary) {
        guard(() -> delegate.cut(tunnel, boundary));
    }
}
