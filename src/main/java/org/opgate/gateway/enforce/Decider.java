package org.opgate.gateway.enforce;

import java.util.function.Supplier;
import org.opgate.clock.GatewayClock;
import org.opgate.config.ListenerSpec;
import org.opgate.flow.Flow;
import org.opgate.flow.IpAddress;
import org.opgate.gateway.GatewayObserver;
import org.opgate.gateway.GatewayRuntime;
import org.opgate.policy.Decision;
import org.opgate.policy.FlowDecider;
import org.opgate.policy.SubscriberResolver;

/**
 * Turns what a handshake learned into a {@link Flow} and an {@link Outcome}: finds the operator
 * and subscriber, reads the gateway clock once, classifies and decides. Thread-safe; reads the
 * current runtime at each call.
 */
public final class Decider {

    private final Supplier<GatewayRuntime> runtime;
    private final GatewayClock clock;
    private final GatewayObserver observer;

    public Decider(Supplier<GatewayRuntime> runtime, GatewayClock clock, GatewayObserver observer) {
        this.runtime = runtime;
        this.clock = clock;
        this.observer = observer;
    }

    public GatewayClock clock() {
        return clock;
    }

    public GatewayRuntime runtime() {
        return runtime.get();
    }

    /**
     * Decides a new connection.
     *
     * @param host     requested host name or IP literal, or null (sni listener)
     * @param sni      SNI if already known, or null
     * @param port     destination port
     * @param username authenticated username, or null
     * @param client   client address
     * @throws IllegalArgumentException if the host or SNI is not a valid name
     */
    public Outcome decide(ListenerSpec listener, String host, String sni, int port, String username, IpAddress client) {
        GatewayRuntime rt = runtime.get();
        SubscriberResolver.Resolution who = rt.subscribers().resolve(listener.name(), listener.operator(), username, client);
        Flow flow = FlowDecider.handshake(host, sni, port, who, client, listener.kind(), clock.instant());
        long t0 = System.nanoTime();
        Decision d = decider(rt).decide(flow, who);
        observer.timed(System.nanoTime() - t0);
        return new Outcome(flow, d, false, false);
    }

    /**
     * Revises a tunnel's decision once its ClientHello is seen ({@link FlowDecider#revise}):
     * requested host and SNI are classified separately; if they fall in different classes (domain
     * fronting) the more restrictive decision wins and the outcome records the mismatch.
     */
    public Outcome revise(Outcome first, String sni) {
        FlowDecider.Revision r = decider(runtime.get()).revise(first.flow(), first.decision(), sni);
        return r.flow() == first.flow() ? first : new Outcome(r.flow(), r.decision(), r.fronting(), r.revised());
    }

    private static FlowDecider decider(GatewayRuntime rt) {
        return new FlowDecider(rt.classifier(), rt.policies());
    }
}
