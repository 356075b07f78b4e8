package org.opgate.gateway.enforce;

import io.netty.channel.Channel;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Open tunnels, for the admin API and for cutting them at a phase boundary. A tunnel is
 * registered when its upstream is accepted and removed when its client channel closes.
 */
public final class TunnelRegistry {

    private final ConcurrentHashMap<Long, Tunnel> open = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Consumer<Tunnel> onClose;

    /** @param onClose told once per tunnel after it closes (for the decision log and metrics) */
    public TunnelRegistry(Consumer<Tunnel> onClose) {
        this.onClose = onClose;
    }

    public Tunnel open(String listener, Channel client, Outcome outcome, Instant start) {
        Tunnel t = new Tunnel(ids.incrementAndGet(), listener, client, outcome, start);
        open.put(t.id(), t);
        client.closeFuture().addListener(f -> {
            if (open.remove(t.id()) != null) {
                Channel up = t.upstream();
                if (up != null) {
                    up.close();
                }
                onClose.accept(t);
            }
        });
        return t;
    }

    public Collection<Tunnel> tunnels() {
        return Collections.unmodifiableCollection(open.values());
    }

    public int size() {
        return open.size();
    }
}
