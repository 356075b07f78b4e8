package org.opgate.gateway.enforce;

import io.netty.channel.Channel;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.opgate.clock.CrossingListener;
import org.opgate.gateway.GatewayObserver;
import org.opgate.gateway.GatewayRuntime;
import org.opgate.policy.Action;
import org.opgate.policy.Decision;
import org.opgate.policy.PolicyEngine;
import org.opgate.policy.Verdict;

/**
 * Closes open tunnels when the gateway clock crosses the start of a block phase with
 * {@code cut-existing}: every tunnel of that class whose operator the policy binds, and which
 * the policies now block (exemptions and other policies considered), is closed on its event loop.
 */
public final class Cutter implements CrossingListener {

    private final Supplier<GatewayRuntime> runtime;
    private final TunnelRegistry tunnels;
    private final GatewayObserver observer;

    public Cutter(Supplier<GatewayRuntime> runtime, TunnelRegistry tunnels, GatewayObserver observer) {
        this.runtime = runtime;
        this.tunnels = tunnels;
        this.observer = observer;
    }

    @Override
    public void crossed(Instant boundary, Instant now) {
        PolicyEngine engine = runtime.get().policies();
        List<PolicyEngine.AppliedPhase> cuts = engine.phasesStartingAt(boundary).stream()
                .filter(p -> p.phase().action() == Action.BLOCK && p.phase().cutExisting()).toList();
        if (cuts.isEmpty()) {
            return;
        }
        for (Tunnel t : tunnels.tunnels()) {
            Outcome o = t.outcome();
            boolean targeted = cuts.stream().anyMatch(p -> p.policy().trafficClass().equals(o.trafficClass())
                    && p.policy().bindsOperator(o.flow().operator()));
            if (!targeted) {
                continue;
            }
            Decision d = engine.decide(o.decision().classification(), o.flow(), boundary);
            if (d.verdict() != Verdict.BLOCK) {
                continue;
            }
            cut(t, d, boundary, observer);
        }
    }

    /** Closes {@code t} on its event loop, recording the blocking decision as why. */
    public static void cut(Tunnel t, Decision d, Instant at, GatewayObserver observer) {
        Outcome o = t.outcome();
        Channel client = t.client();
        client.eventLoop().execute(() -> {
            if (!client.isActive()) {
                return;
            }
            t.outcome(new Outcome(o.flow(), d, o.fronting(), o.revised()));
            t.ending("cut");
            observer.cut(t, at);
            if (t.upstream() != null) {
                t.upstream().close();
            }
            client.close();
        });
    }
}
