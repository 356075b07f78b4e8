package org.opgate.policy;

import java.time.Instant;
import org.opgate.classify.Classification;
import org.opgate.classify.Classifier;
import org.opgate.flow.Flow;
import org.opgate.flow.IpAddress;
import org.opgate.flow.ListenerKind;

/**
 * How a connection is decided from its handshake, with no clock, I/O or Netty, so the gateway and
 * {@code opgate replay} decide alike: the flow a handshake gives (requested host, SNI if known,
 * port, operator and subscriber) is classified and decided; once a tunnel's ClientHello is seen,
 * its SNI revises the decision (domain fronting: host and SNI are classified separately and the
 * more restrictive decision wins). Immutable and thread-safe.
 */
public final class FlowDecider {

    private final Classifier classifier;
    private final PolicyEngine policies;

    public FlowDecider(Classifier classifier, PolicyEngine policies) {
        this.classifier = classifier;
        this.policies = policies;
    }

    /**
     * A decision after the SNI peek.
     *
     * @param flow     the flow, with the SNI when it was taken in
     * @param decision the decision that stands
     * @param fronting true if the requested host and the SNI fall in different classes
     * @param revised  true if the SNI changed the decision's grounds (fronting)
     */
    public record Revision(Flow flow, Decision decision, boolean fronting, boolean revised) {
    }

    /**
     * The flow a handshake gives.
     *
     * @param host     requested host name or IP literal, or null (sni listener)
     * @param sni      SNI if already known, or null
     * @param port     destination port
     * @param who      the operator and subscriber found for the connection
     * @param client   client address, or null
     * @param listener listener kind, or null outside the gateway
     * @param at       the instant of the decision
     * @throws IllegalArgumentException if the host or SNI is not a valid name, or the port is out of range
     */
    public static Flow handshake(String host, String sni, int port, SubscriberResolver.Resolution who, IpAddress client,
                                 ListenerKind listener, Instant at) {
        return Flow.builder().host(host).sni(sni).port(port).operator(who.operator()).subscriber(who.subscriber())
                .client(client).listener(listener).at(at).build();
    }

    /** True if the flow names a requested host and another SNI: a tunnel whose ClientHello was seen. */
    public static boolean isTunnel(Flow flow) {
        return flow.host() != null && flow.sni() != null && !flow.sni().equals(flow.host());
    }

    /**
     * Decides a tunnel ({@link #isTunnel}) as the gateway does: its requested host first, then the
     * SNI revises the decision, so a host and an SNI in different classes (domain fronting) are
     * both decided and the more restrictive decision stands.
     */
    public Decision decideTunnel(Flow flow, Instant at) {
        Flow hostSide = flow.withoutSni();
        Decision first = policies.decide(classifier.classify(hostSide), hostSide, at);
        return revise(hostSide.at(at), first, flow.sni()).decision();
    }

    /** Classifies and decides a new connection; one whose operator was not found is refused with the reason. */
    public Decision decide(Flow flow, SubscriberResolver.Resolution who) {
        Classification c = classifier.classify(flow);
        return who.resolved() ? policies.decide(c, flow, flow.at()) : Decision.refused(c, who.refusal());
    }

    /**
     * Revises a tunnel's decision once its ClientHello is seen. Without an SNI, with the SNI the
     * flow already had, or for a refusal no policy made (unknown operator), the decision stands
     * and {@code flow} is returned as it was.
     */
    public Revision revise(Flow flow, Decision decision, String sni) {
        if (sni == null || sni.equals(flow.sni()) || decision.policyId() == null && !decision.verdict().relays()) {
            return new Revision(flow, decision, false, false);
        }
        Flow withSni = new Flow(flow.host(), sni, flow.ip(), flow.port(), flow.operator(), flow.subscriber(),
                flow.client(), flow.listener(), flow.at());
        Flow sniSide = withSni.sniSide();
        Classification sniClass = classifier.classify(sniSide);
        Decision sniDecision = policies.decide(sniClass, sniSide, withSni.at());
        boolean fronting = !sniClass.trafficClass().equals(decision.classification().trafficClass());
        if (!fronting) {
            // Same class either way: the decision stands; the flow just learns its SNI.
            return new Revision(withSni, decision, false, false);
        }
        Decision chosen = sniDecision.verdict().isMoreRestrictiveThan(decision.verdict()) ? sniDecision : decision;
        if (chosen == sniDecision) {
            chosen = new Decision(sniDecision.verdict(), sniDecision.wouldBe(), sniDecision.classification(),
                    sniDecision.decisive(), sniDecision.applied(), sniDecision.shadow(),
                    sniDecision.reason() + " (domain fronting: requested host " + flow.target() + ", SNI " + sni + ")");
        }
        return new Revision(withSni, chosen, true, true);
    }
}
