package org.opgate.gateway.relay;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.traffic.ChannelTrafficShapingHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.opgate.config.Limits;
import org.opgate.gateway.GatewayPipeline;
import org.opgate.gateway.Transport;
import org.opgate.gateway.enforce.Tunnel;
import org.opgate.policy.Verdict;

/**
 * Connecting upstream and splicing two channels into a tunnel.
 *
 * <pre>
 * client ─► [throttle?] [idle] [peek?] [relay → upstream]
 * upstream ─► [relay → client]
 * </pre>
 */
public final class Relay {

    /**
     * Kernel receive buffer of every gateway socket. A fixed size (no autotuning) bounds what a
     * socket holds when reading cannot be paused: after a half-close, epoll drains the socket
     * whatever AUTO_READ says (netty/netty#13142), so this, not the water marks, is the bound.
     */
    public static final int RECEIVE_BUFFER = 256 * 1024;

    /**
     * Where every gateway connection's buffers come from (and what the metrics report). Netty
     * 4.2's default allocator pools nothing above 16.5 KiB in a JVM of 512 MiB heap or less, so
     * under load each 64 KiB read was a fresh, zeroed, then freed direct buffer (6% of the
     * gateway's CPU in a CONNECT throughput run, bench/README.md "Fifth round").
     */
    public static final PooledByteBufAllocator ALLOCATOR = PooledByteBufAllocator.DEFAULT;

    /**
     * Read sizes of a tunnel's two channels: they grow up to what one receive buffer holds, so a
     * full socket is drained in one read rather than four.
     */
    private static final RecvByteBufAllocator READS = new AdaptiveRecvByteBufAllocator(64, 2048, RECEIVE_BUFFER);

    private Relay() {
    }

    /**
     * Connects to {@code target} on the client channel's event loop (so the tunnel's two channels
     * never need locks), with reading off until the tunnel is spliced. This is what a
     * {@code Bootstrap} does, without building one and its option map for every tunnel.
     *
     * @param handler the upstream channel's first handler, or null for none yet
     */
    public static ChannelFuture connect(Channel client, InetSocketAddress target, Limits limits, Transport transport,
                                        ChannelHandler handler) {
        ChannelFactory<? extends Channel> factory = transport.socketChannelFor(target.getAddress());
        Channel ch;
        try {
            ch = configured(factory.newChannel(), limits);
        } catch (ChannelException noSocket) {
            // No socket to be had (out of file descriptors): the Bootstrap answers that with a
            // failed future on a placeholder channel, which callers may close safely.
            return new Bootstrap()
                    .group(client.eventLoop())
                    .channelFactory(() -> configured(factory.newChannel(), limits))
                    .handler(handler == null ? new ChannelInboundHandlerAdapter() : handler)
                    .connect(target);
        }
        if (handler != null) {
            ch.pipeline().addLast(handler);
        }
        // The promise runs its listeners on the client's loop: a channel whose registration
        // failed has no event loop of its own to run them on.
        ChannelPromise connected = new DefaultChannelPromise(ch, client.eventLoop());
        client.eventLoop().register(ch).addListener(registered -> {
            if (registered.isSuccess()) {
                ch.connect(target, connected);
            } else {
                ch.unsafe().closeForcibly();
                connected.setFailure(registered.cause());
            }
        });
        return connected;
    }

    private static Channel configured(Channel ch, Limits limits) {
        ChannelConfig c = ch.config();
        c.setAutoRead(false);
        c.setAllocator(ALLOCATOR);
        c.setRecvByteBufAllocator(READS);
        c.setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        // TCP_NODELAY: Netty's socket channels set it when they are made.
        c.setOption(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER);
        c.setConnectTimeoutMillis((int) Math.min(Integer.MAX_VALUE, limits.connectTimeout().toMillis()));
        c.setWriteBufferWaterMark(new WriteBufferWaterMark(limits.writeBufferLow(), limits.writeBufferHigh()));
        return ch;
    }

    /**
     * Splices {@code client} and {@code upstream}: relay handlers on both, the idle timeout, and
     * a rate limit when the decision throttles. Reading starts on both sides. Call on the event loop.
     */
    public static void splice(Tunnel tunnel, Channel client, Channel upstream, Limits limits) {
        tunnel.upstream(upstream);
        client.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        client.config().setRecvByteBufAllocator(READS);
        client.config().setWriteBufferWaterMark(new WriteBufferWaterMark(limits.writeBufferLow(), limits.writeBufferHigh()));
        var decision = tunnel.outcome().decision();
        if (decision.verdict() == Verdict.THROTTLE && decision.phase() != null) {
            long rate = decision.phase().bytesPerSecond();
            client.pipeline().addFirst(GatewayPipeline.THROTTLE, new ChannelTrafficShapingHandler(rate, rate, 100));
        }
        long idle = limits.idleTimeout().toMillis();
        client.pipeline().addLast(GatewayPipeline.IDLE, new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS));
        client.pipeline().addLast(GatewayPipeline.IDLE_CLOSE, new IdleCloseHandler(tunnel));
        client.pipeline().addLast(GatewayPipeline.RELAY, new RelayHandler(upstream, tunnel, true));
        upstream.pipeline().addLast(GatewayPipeline.RELAY, new RelayHandler(client, tunnel, false));
        client.config().setAutoRead(true);
        upstream.config().setAutoRead(true);
    }
}
