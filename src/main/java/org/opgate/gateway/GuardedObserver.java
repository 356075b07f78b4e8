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

    // Each call is written out (no Runnable per call): these run on every tunnel's path.

    private static void failed(RuntimeException e) {
        LOG.warn("gateway observer failed", e);
    }

    @Override
    public void decided(String listener, Outcome outcome) {
        try {
            delegate.decided(listener, outcome);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void refused(String listener, String reason, String detail) {
        try {
            delegate.refused(listener, reason, detail);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void timed(long nanos) {
        try {
            delegate.timed(nanos);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void tunnelOpened(Tunnel tunnel) {
        try {
            delegate.tunnelOpened(tunnel);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void tunnelClosed(Tunnel tunnel) {
        try {
            delegate.tunnelClosed(tunnel);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void cut(Tunnel tunnel, Instant boundary) {
        try {
            delegate.cut(tunnel, boundary);
        } catch (RuntimeException e) {
            failed(e);
        }
    }
}
