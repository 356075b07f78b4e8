package org.opgate.gateway;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5ServerEncoder;
import java.util.function.Consumer;
import org.opgate.config.ListenerSpec;
import org.opgate.gateway.http.HttpProxyHandler;
import org.opgate.gateway.listener.ConnectionLimiter;
import org.opgate.gateway.listener.HandshakeTimeout;
import org.opgate.gateway.sni.SniListenerHandler;
import org.opgate.gateway.socks.Socks5Handler;

/**
 * Builds a new connection's pipeline for one listener (the order drawn in {@link GatewayPipeline}),
 * and answers the connections it refuses before any handshake handler could: over a connection
 * limit or out of handshake time. One per listener; its {@link ConnectionLimiter} counts that
 * listener's connections. Tests drive the same pipeline in an {@code EmbeddedChannel}.
 */
public final class ListenerInitializer extends ChannelInitializer<Channel> {

    private final GatewayContext context;
    private final ListenerSpec spec;
    private final ConnectionLimiter limiter;
    private final Consumer<Channel> accepted;

    public ListenerInitializer(GatewayContext context, ListenerSpec spec) {
        this(context, spec, ch -> { });
    }

    /**
     * @param accepted told of every new connection first (the gateway keeps them, so closing
     *                 reaches those still in their handshake); one initializer per connection,
     *                 not a wrapper around this one, since this runs for every connection
     */
    public ListenerInitializer(GatewayContext context, ListenerSpec spec, Consumer<Channel> accepted) {
        this.context = context;
        this.spec = spec;
        this.accepted = accepted;
        this.limiter = new ConnectionLimiter(() -> context.limits().maxConnectionsPerListener(),
                () -> context.limits().maxConnectionsPerClient(), this::refuse);
    }

    @Override
    protected void initChannel(Channel ch) {
        accepted.accept(ch);
        ChannelPipeline p = ch.pipeline();
        p.addLast(GatewayPipeline.LIMIT, limiter);
        p.addLast(GatewayPipeline.HANDSHAKE_TIMEOUT, new HandshakeTimeout(context.limits().handshakeTimeout(), this::refuse));
        switch (spec.kind()) {
            case HTTP -> {
                int max = context.limits().maxHeaderBytes();
                p.addLast(GatewayPipeline.HTTP_CODEC, new HttpServerCodec(max, max, 8192));
                p.addLast(GatewayPipeline.HTTP_PROXY, new HttpProxyHandler(context, spec));
            }
            case SOCKS5 -> {
                p.addLast(GatewayPipeline.SOCKS_ENCODER, Socks5ServerEncoder.DEFAULT);
                p.addLast(GatewayPipeline.SOCKS_DECODER, new Socks5InitialRequestDecoder());
                p.addLast(GatewayPipeline.SOCKS_HANDLER, new Socks5Handler(context, spec));
            }
            case SNI -> p.addLast(GatewayPipeline.SNI_HELLO, new SniListenerHandler(context, spec));
        }
    }

    /** How the listener refuses a connection it never decided: over a limit or out of time. */
    private void refuse(ChannelHandlerContext ctx, String reason, String detail) {
        context.observer().refused(spec.name(), reason, detail);
        switch (spec.kind()) {
            case HTTP -> {
                HttpResponseStatus status = reason.equals("handshake-timeout")
                        ? HttpResponseStatus.REQUEST_TIMEOUT : HttpResponseStatus.SERVICE_UNAVAILABLE;
                var r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                        ByteBufUtil.writeUtf8(ctx.alloc(), detail + "\n"));
                r.headers().set("X-Opgate-Reason", detail);
                r.headers().set("Content-Type", "text/plain; charset=utf-8");
                r.headers().set("Content-Length", r.content().readableBytes());
                r.headers().set("Connection", "close");
                // From the channel, not ctx: through the codec when it is still there.
                ctx.channel().writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            }
            case SOCKS5 -> ctx.close();
            case SNI -> {
                ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                ctx.close();
            }
        }
    }
}
