package org.opgate.gateway.enforce;

import java.util.function.Supplier;
import org.opgate.classify.Classification;
import org.opgate.clock.GatewayClock;
import org.opgate.config.ListenerSpec;
import org.opgate.flow.Flow;
import org.opgate.flow.IpAddress;
import org.opgate.gateway.GatewayObserver;
import org.opgate.gateway.GatewayRuntime;
import org.opgate.policy.Decision;
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
        Flow flow = Flow.builder().host(host).sni(sni).port(port).operator(who.operator()).subscriber(who.subscriber())
                .client(client).listener(listener.kind()).at(clock.instant()).build();
        long t0 = System.nanoTime();
        Classification c = rt.classifier().classify(flow);
        Decision d = who.resolved() ? rt.policies().decide(c, flow, flow.at()) : Decision.refused(c, who.refusal());
        observer.timed(System.nanoTime() - t0);
        return new Outcome(flow, d, false, false);
    }

    /**
     * Revises a tunnel's decision once its ClientHello is seen. Requested host and SNI are
     * classified separately; if they fall in different classes (domain fronting) the more
     * restrictive decision wins and the outcome records the mismatch.
     */
    public Outcome revise(Outcome first, String sni) {
        if (sni == null || sni.equals(first.flow().sni()) || first.decision().policyId() == null
                && !first.allowed()) {
            return first;
        }
        GatewayRuntime rt = runtime.get();
        Flow withSni = new Flow(first.flow().host(), sni, first.flow().ip(), first.flow().port(), first.flow().operator(),
                first.flow().subscriber(), first.flow().client(), first.flow().listener(), first.flow().at());
        Flow sniSide = withSni.sniSide();
        Classification sniClass = rt.classifier().classify(sniSide);
        Decision sniDecision = rt.policies().decide(sniClass, sniSide, withSni.at());
        boolean fronting = !sniClass.trafficClass().equals(first.trafficClass());
        if (!fronting) {
            // Same class either way: the decision stands; the flow just learns its SNI.
            return new Outcome(withSni, first.decision(), false, false);
        }
        Decision chosen = sniDecision.verdict().isMoreRestrictiveThan(first.decision().verdict()) ? sniDecision
                : first.decision();
        if (chosen == sniDecision) {
            chosen = new Decision(sniDecision.verdict(), sniDecision.wouldBe(), sniDecision.classification(),
                    sniDecision.decisive(), sniDecision.applied(), sniDecision.shadow(),
                    sniDecision.reason() + " (domain fronting: requested host " + first.flow().target() + ", SNI " + sni + ")");
        }
        return new Outcome(withSni, chosen, fronting, true);
    }
}
