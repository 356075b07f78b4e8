package org.opgate.gateway.listener;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Gives a client a fixed time to finish its handshake. The handshake handler removes this
 * handler when it hands the connection over; if it is still here when time runs out, the
 * connection is refused through {@code refusal}.
 */
public final class HandshakeTimeout extends ChannelInboundHandlerAdapter {

    private final Duration timeout;
    private final ConnectionLimiter.Refusal refusal;
    private ScheduledFuture<?> task;

    public HandshakeTimeout(Duration timeout, ConnectionLimiter.Refusal refusal) {
        this.timeout = timeout;
        this.refusal = refusal;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        task = ctx.executor().schedule(() -> {
            if (ctx.channel().isActive()) {
                refusal.refuse(ctx, "handshake-timeout", "no complete handshake within " + timeout.toMillis() + " ms");
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (task != null) {
            task.cancel(false);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (task != null) {
            task.cancel(false);
        }
        ctx.fireChannelInactive();
    }
}
