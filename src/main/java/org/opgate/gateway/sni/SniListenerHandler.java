package org.opgate.gateway.sni;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import org.opgate.config.ListenerSpec;
import org.opgate.flow.IpAddress;
import org.opgate.gateway.GatewayContext;
import org.opgate.gateway.listener.ClientAddress;
import org.opgate.gateway.GatewayPipeline;
import org.opgate.gateway.enforce.Outcome;
import org.opgate.gateway.enforce.Tunnel;
import org.opgate.gateway.enforce.TunnelOpener;
import org.opgate.gateway.relay.Relay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code sni} listener's handshake: reads the client's ClientHello (across TCP segments and
 * TLS records, up to the configured size) without terminating TLS; its SNI names the destination
 * on the listener's upstream port. A refusal of any kind is a TCP reset. Once allowed and
 * connected, the bytes read so far go upstream first, unchanged, then the two sides are relayed.
 */
public final class SniListenerHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(SniListenerHandler.class);

    private final GatewayContext gw;
    private final ListenerSpec listener;
    private ByteBuf held;
    private boolean deciding;

    public SniListenerHandler(GatewayContext gw, ListenerSpec listener) {
        this.gw = gw;
        this.listener = listener;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in) || deciding) {
            // After the hello, reading is off until the tunnel is spliced; nothing should arrive.
            ReferenceCountUtil.release(msg);
            return;
        }
        // Merged into one buffer: a composite per read would nest once per byte a trickling client sends.
        held = held == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), held, in);
        ClientHello hello = ClientHelloParser.parse(held, gw.limits().maxClientHelloBytes());
        switch (hello.status()) {
            case NEED_MORE -> {
            }
            case NOT_TLS -> reset(ctx, "not-tls", hello.error());
            case MALFORMED -> reset(ctx, "bad-request", "malformed ClientHello: " + hello.error());
            case TOO_LARGE -> reset(ctx, "client-hello-too-large", hello.error());
            case COMPLETE -> decide(ctx, hello);
        }
    }

    private void decide(ChannelHandlerContext ctx, ClientHello hello) {
        if (hello.sni() == null) {
            reset(ctx, "no-sni", "ClientHello without a server name");
            return;
        }
        Outcome outcome = gw.decider().decide(listener, null, hello.sni(), listener.upstreamPort(), null, client(ctx));
        gw.observer().decided(listener.name(), outcome);
        if (!outcome.allowed()) {
            release();
            rst(ctx);
            return;
        }
        deciding = true;
        ctx.channel().config().setAutoRead(false);
        TunnelOpener.open(gw, listener, ctx.channel(), outcome, new TunnelOpener.Callback() {
            @Override
            public void connected(Tunnel tunnel, Channel upstream) {
                tunnel.hello(new Tunnel.ClientHelloFacts(hello.sni(), hello.alpn(), hello.ech()));
                ByteBuf first = held;
                held = null;
                tunnel.addUp(first.readableBytes());
                upstream.writeAndFlush(first).addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        ctx.close();
                        return;
                    }
                    ctx.pipeline().remove(GatewayPipeline.HANDSHAKE_TIMEOUT);
                    Relay.splice(tunnel, ctx.channel(), upstream, gw.limits());
                    ctx.pipeline().remove(SniListenerHandler.this);
                });
            }

            @Override
            public void failed(String reason, String detail) {
                reset(ctx, reason, detail);
            }
        });
    }

    private void reset(ChannelHandlerContext ctx, String reason, String detail) {
        gw.observer().refused(listener.name(), reason, detail);
        release();
        rst(ctx);
    }

    /** Refusal on a TLS listener is a TCP reset: no bytes, so no TLS alert to mimic. */
    static void rst(ChannelHandlerContext ctx) {
        if (ctx.channel().isOpen()) {
            // A client that has gone already (its own timeout) has no socket left to set.
            ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
        }
        ctx.close();
    }

    private void release() {
        if (held != null) {
            ReferenceCountUtil.release(held);
            held = null;
        }
    }

    private static IpAddress client(ChannelHandlerContext ctx) {
        return ClientAddress.of(ctx.channel());
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("sni listener {}: client {} failed: {}", listener.name(), ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
