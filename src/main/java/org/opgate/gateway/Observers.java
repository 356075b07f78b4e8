package org.opgate.gateway;

import java.time.Instant;
import java.util.List;
import org.opgate.gateway.enforce.Outcome;
import org.opgate.gateway.enforce.Tunnel;

/** Fans one gateway's reports out to several observers, in order. */
public final class Observers implements GatewayObserver {

    /** An array and indexed loops: no lambda or iterator per call on the tunnel path. */
    private final GatewayObserver[] all;

    private Observers(List<GatewayObserver> all) {
        this.all = all.toArray(GatewayObserver[]::new);
    }

    /** Each observer is guarded on its own, so one that fails does not starve the others. */
    public static GatewayObserver of(GatewayObserver... observers) {
        return new Observers(java.util.Arrays.stream(observers).map(o -> (GatewayObserver) new GuardedObserver(o)).toList());
    }

    @Override
    public void decided(String listener, Outcome outcome) {
        for (GatewayObserver o : all) {
            o.decided(listener, outcome);
        }
    }

    @Override
    public void refused(String listener, String reason, String detail) {
        for (GatewayObserver o : all) {
            o.refused(listener, reason, detail);
        }
    }

    @Override
    public void timed(long nanos) {
        for (GatewayObserver o : all) {
            o.timed(nanos);
        }
    }

    @Override
    public void tunnelOpened(Tunnel tunnel) {
        for (GatewayObserver o : all) {
            o.tunnelOpened(tunnel);
        }
    }

    @Override
    public void tunnelClosed(Tunnel tunnel) {
        for (GatewayObserver o : all) {
            o.tunnelClosed(tunnel);
        }
    }

    @Override
    public void cut(Tunnel tunnel, Instant boundary) {
        for (GatewayObserver o : all) {
            o.cut(tunnel, boundary);
        }
    }
}
