package org.opgate.gateway.listener;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Counts open connections per listener and per client address, and refuses one over either
 * limit by calling {@code refuse} (which answers in the listener's protocol) instead of passing
 * the connection on. Shared by all channels of one listener.
 */
@Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    /** Answers a connection that is over a limit. */
    public interface Refusal {
        void refuse(ChannelHandlerContext ctx, String reason, String detail);
    }

    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<java.net.InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
    private final IntSupplier maxTotal;
    private final IntSupplier maxPerClient;
    private final Refusal refusal;

    public ConnectionLimiter(IntSupplier maxTotal, IntSupplier maxPerClient, Refusal refusal) {
        this.maxTotal = maxTotal;
        this.maxPerClient = maxPerClient;
        this.refusal = refusal;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        java.net.InetAddress client = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        int n = total.incrementAndGet();
        AtomicInteger c = perClient.computeIfAbsent(client, k -> new AtomicInteger());
        int m = c.incrementAndGet();
        ctx.channel().closeFuture().addListener(f -> {
            total.decrementAndGet();
            if (c.decrementAndGet() == 0) {
                perClient.remove(client, c);
            }
        });
        if (n > maxTotal.getAsInt()) {
            refusal.refuse(ctx, "limit-listener", "too many connections on this listener (limit "
                    + maxTotal.getAsInt() + ")");
            return;
        }
        if (m > maxPerClient.getAsInt()) {
            refusal.refuse(ctx, "limit-client", "too many connections from " + client.getHostAddress()
                    + " (limit " + maxPerClient.getAsInt() + ")");
            return;
        }
        ctx.fireChannelActive();
    }

    public int open() {
        return total.get();
    }
}
