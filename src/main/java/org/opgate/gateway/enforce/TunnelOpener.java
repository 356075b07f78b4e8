package org.opgate.gateway.enforce;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import org.opgate.config.ListenerSpec;
import org.opgate.gateway.GatewayContext;
import org.opgate.gateway.relay.Relay;
import org.opgate.gateway.upstream.UpstreamTarget;

/**
 * After an allowed decision: resolves the destination and connects upstream on the client's
 * event loop, then hands the connected tunnel, or the reason it failed, to the listener's
 * handshake handler (which answers in its own protocol).
 */
public final class TunnelOpener {

    /** What the handshake handler does next. Called on the client's event loop. */
    public interface Callback {
        void connected(Tunnel tunnel, Channel upstream);

        /**
         * @param reason  bounded kind: unknown-host, not-allowed, connect-failed, blocked-while-connecting
         * @param detail  text for the client
         */
        void failed(String reason, String detail);
    }

    private TunnelOpener() {
    }

    public static void open(GatewayContext gw, ListenerSpec listener, Channel client, Outcome outcome, Callback cb) {
        Future<UpstreamTarget> resolving = gw.upstreams().resolve(outcome.flow());
        resolving.addListener(f -> client.eventLoop().execute(() -> {
            if (!client.isActive()) {
                return;
            }
            if (!f.isSuccess()) {
                cb.failed("connect-failed", "cannot resolve " + outcome.flow().target() + ": " + f.cause());
                return;
            }
            UpstreamTarget target = resolving.getNow();
            if (!target.ok()) {
                cb.failed(target.kind() == UpstreamTarget.Refusal.UNKNOWN_HOST ? "unknown-host" : "not-allowed",
                        target.refusal());
                return;
            }
            Relay.connect(client, target.address(), gw.limits(), gw.transport(), null).addListener(cf -> {
                Channel upstream = ((io.netty.channel.ChannelFuture) cf).channel();
                if (!cf.isSuccess()) {
                    cb.failed("connect-failed", "cannot connect to " + outcome.flow().target() + " ("
                            + (target.service() == null ? target.address() : target.service()) + "): "
                            + cf.cause().getMessage());
                    return;
                }
                if (!client.isActive()) {
                    upstream.close();
                    return;
                }
                // A block boundary may have passed while connecting, after the cut swept the open
                // tunnels: judge again now, so no tunnel slips in behind the cut.
                var now = gw.decider().clock().instant();
                var d = gw.decider().runtime().policies().decide(outcome.decision().classification(), outcome.flow(), now);
                if (!d.verdict().relays() && d.phase() != null && d.phase().start().isAfter(outcome.flow().at())) {
                    upstream.close();
                    cb.failed("blocked-while-connecting", d.reason());
                    return;
                }
                Tunnel t = gw.tunnels().open(listener.name(), client, outcome, outcome.flow().at());
                t.upstream(upstream);
                gw.observer().tunnelOpened(t);
                cb.connected(t, upstream);
            });
        }));
    }
}
