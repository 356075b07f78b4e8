package org.opgate.gateway.relay;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import org.opgate.gateway.enforce.Tunnel;

/**
 * Closes a connection that has moved no bytes either way for the idle timeout (behind an
 * {@link io.netty.handler.timeout.IdleStateHandler}); a tunnel records why it ended.
 */
public final class IdleCloseHandler extends ChannelInboundHandlerAdapter {

    private final Tunnel tunnel;

    /** @param tunnel the tunnel to mark, or null for a connection that is not one */
    public IdleCloseHandler(Tunnel tunnel) {
        this.tunnel = tunnel;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (tunnel != null) {
                tunnel.ending("timeout");
            }
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
