package org.opgate.gateway.sni;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import org.opgate.gateway.GatewayContext;
import org.opgate.gateway.enforce.Outcome;
import org.opgate.gateway.enforce.Tunnel;

/**
 * Sits in front of the client-side relay of an accepted CONNECT or SOCKS tunnel and looks at the
 * client's first bytes without altering them. If they are a TLS ClientHello, the SNI revises the
 * decision once (domain fronting: host and SNI classified separately); a revised refusal resets
 * the client before any of its bytes reached the upstream. Anything else passes through
 * unchanged. Upstream bytes flow meanwhile, so server-speaks-first protocols work.
 */
public final class ClientHelloPeekHandler extends ChannelInboundHandlerAdapter {

    private final GatewayContext gw;
    private final Tunnel tunnel;
    private ByteBuf held;

    public ClientHelloPeekHandler(GatewayContext gw, Tunnel tunnel) {
        this.gw = gw;
        this.tunnel = tunnel;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        // Merged into one buffer, not a composite per read (which would nest once per byte trickled).
        held = held == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), held, in);
        ClientHello hello = ClientHelloParser.parse(held, gw.limits().maxClientHelloBytes());
        switch (hello.status()) {
            case NEED_MORE -> {
                return;
            }
            case COMPLETE -> {
                tunnel.hello(new Tunnel.ClientHelloFacts(hello.sni(), hello.alpn(), hello.ech()));
                Outcome revised = gw.decider().revise(tunnel.outcome(), hello.sni());
                tunnel.outcome(revised);
                if (revised.revised()) {
                    gw.observer().decided(tunnel.listener(), revised);
                }
                if (!revised.allowed()) {
                    ReferenceCountUtil.release(held);
                    held = null;
                    tunnel.ending("refused-sni");
                    reset(ctx);
                    return;
                }
            }
            default -> {
                // Not TLS, or TLS we cannot read: the decision stands and the bytes pass unchanged.
            }
        }
        ByteBuf out = held;
        held = null;
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(out);
    }

    private void reset(ChannelHandlerContext ctx) {
        if (tunnel.upstream() != null) {
            tunnel.upstream().close();
        }
        ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (held != null) {
            ReferenceCountUtil.release(held);
            held = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (held != null) {
            ReferenceCountUtil.release(held);
            held = null;
        }
        ctx.fireChannelInactive();
    }
}
