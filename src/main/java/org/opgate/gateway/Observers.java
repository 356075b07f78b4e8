package org.opgate.gateway;

import java.time.Instant;
import java.util.List;
import org.opgate.gateway.enforce.Outcome;
import org.opgate.gateway.enforce.Tunnel;

/** Fans one gateway's reports out to several observers, in order. */
public final class Observers implements GatewayObserver {

    private final List<GatewayObserver> all;

    private Observers(List<GatewayObserver> all) {
        this.all = List.copyOf(all);
    }

    /** Each observer is guarded on its own, so one that fails does not starve the others. */
    public static GatewayObserver of(GatewayObserver... observers) {
        return new Observers(java.util.Arrays.stream(observers).map(o -> (GatewayObserver) new GuardedObserver(o)).toList());
    }

    @Override
    public void decided(String listener, Outcome outcome) {
        all.forEach(o -> o.decided(listener, outcome));
    }

    @Override
    public void refused(String listener, String reason, String detail) {
        all.forEach(o -> o.refused(listener, reason, detail));
    }

    @Override
    public void timed(long nanos) {
        all.forEach(o -> o.timed(nanos));
    }

    @Override
    public void tunnelOpened(Tunnel tunnel) {
        all.forEach(o -> o.tunnelOpened(tunnel));
    }

    @Override
    public void tunnelClosed(Tunnel tunnel) {
        all.forEach(o -> o.tunnelClosed(tunnel));
    }

    @Override
    public void cut(Tunnel tunnel, Instant boundary) {
        all.forEach(o -> o.cut(tunnel, boundary));
    }
}
