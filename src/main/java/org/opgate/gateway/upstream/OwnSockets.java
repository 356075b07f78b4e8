package org.opgate.gateway.upstream;

import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.opgate.flow.Flow;

/**
 * Refuses upstream connections to the gateway's own sockets (its listeners and its admin API).
 * Loopback destinations are allowed, so without this a client could reach the admin API through
 * a listener: from another host when the listener has {@code allow-remote}, where the admin
 * API's loopback bind is what keeps it private.
 */
public final class OwnSockets implements UpstreamResolver {

    private final UpstreamResolver next;
    /** Bound address → what it is ("listener 'http'", "the admin API"). */
    private final Map<InetSocketAddress, String> own = new ConcurrentHashMap<>();

    public OwnSockets(UpstreamResolver next) {
        this.next = next;
    }

    /** Adds a socket the gateway listens on; a wildcard bind covers every address on its port. */
    public void add(InetSocketAddress bound, String what) {
        own.put(bound, what);
    }

    @Override
    public Future<UpstreamTarget> resolve(Flow flow) {
        Future<UpstreamTarget> resolving = next.resolve(flow);
        Promise<UpstreamTarget> checked = ImmediateEventExecutor.INSTANCE.newPromise();
        resolving.addListener(f -> {
            if (!f.isSuccess()) {
                checked.setFailure(f.cause());
                return;
            }
            UpstreamTarget target = resolving.getNow();
            String what = target.ok() ? ownedBy(target.address()) : null;
            checked.setSuccess(what == null ? target : UpstreamTarget.notAllowed("destination "
                    + target.address().getAddress().getHostAddress() + ":" + target.address().getPort()
                    + " is the gateway's own " + what + " (a listener never connects to the gateway itself)"));
        });
        return checked;
    }

    private String ownedBy(InetSocketAddress target) {
        // Connecting to 0.0.0.0 or :: reaches this host, so it counts as every address of it.
        boolean anyLocal = target.getAddress().isAnyLocalAddress();
        for (Map.Entry<InetSocketAddress, String> e : own.entrySet()) {
            InetSocketAddress bound = e.getKey();
            if (bound.getPort() == target.getPort() && (anyLocal || bound.getAddress().isAnyLocalAddress()
                    || bound.getAddress().equals(target.getAddress()))) {
                return e.getValue();
            }
        }
        return null;
    }
}
