package org.opgate.sim.demo;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.opgate.gateway.GatewayObserver;
import org.opgate.gateway.enforce.Outcome;
import org.opgate.gateway.enforce.Tunnel;
import org.opgate.sim.population.GatewayNotes;

/**
 * Hears from the gateway which tunnels it cut and why it refused whom, so that a simulated client
 * whose connection just closed can tell a cut from another close, and a refusal without text on
 * the wire (SOCKS5 0x02, an SNI reset) still gets its reason. Entries are taken once; refusals
 * are keyed by client address (each subscriber has its own), cuts by address and port.
 */
final class GatewayNotesObserver implements GatewayObserver, GatewayNotes {

    private final Set<InetSocketAddress> cut = ConcurrentHashMap.newKeySet();
    private final Map<InetAddress, String> refusals = new ConcurrentHashMap<>();

    @Override
    public void decided(String listener, Outcome outcome) {
        if (!outcome.allowed() && outcome.flow().client() != null) {
            refusals.put(outcome.flow().client().toInetAddress(), outcome.decision().reason());
        }
    }

    @Override
    public void cut(Tunnel tunnel, Instant boundary) {
        SocketAddress a = tunnel.client().remoteAddress();
        if (a instanceof InetSocketAddress i) {
            cut.add(i);
        }
    }

    @Override
    public boolean wasCut(InetSocketAddress client) {
        return client != null && cut.remove(client);
    }

    @Override
    public String refusalReason(InetSocketAddress client) {
        return client == null ? null : refusals.remove(client.getAddress());
    }
}
