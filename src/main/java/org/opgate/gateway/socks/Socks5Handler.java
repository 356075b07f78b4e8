package org.opgate.gateway.socks;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.socksx.v5.DefaultSocks5CommandResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5InitialResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5PasswordAuthResponse;
import io.netty.handler.codec.socksx.v5.Socks5AddressType;
import io.netty.handler.codec.socksx.v5.Socks5AuthMethod;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequest;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import io.netty.handler.codec.socksx.v5.Socks5CommandType;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequest;
import io.netty.handler.codec.socksx.v5.Socks5Message;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthRequest;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthStatus;
import java.net.InetSocketAddress;
import org.opgate.config.ListenerSpec;
import org.opgate.flow.IpAddress;
import org.opgate.gateway.GatewayContext;
import org.opgate.gateway.listener.ClientAddress;
import org.opgate.gateway.GatewayPipeline;
import org.opgate.gateway.enforce.Outcome;
import org.opgate.gateway.enforce.Tunnel;
import org.opgate.gateway.enforce.TunnelOpener;
import org.opgate.gateway.relay.EarlyBytes;
import org.opgate.gateway.relay.Relay;
import org.opgate.gateway.sni.ClientHelloPeekHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code socks5} listener's handshake (RFC 1928, with RFC 1929 user name = subscriber id):
 * method selection, optional password sub-negotiation, then CONNECT to an IPv4, IPv6 or domain
 * address. BIND and UDP ASSOCIATE are refused with 0x07; a policy refusal is 0x02 ("not allowed
 * by ruleset"); a name unknown in the simulated network is 0x04.
 */
public final class Socks5Handler extends SimpleChannelInboundHandler<Socks5Message> {

    private static final Logger LOG = LoggerFactory.getLogger(Socks5Handler.class);

    private final GatewayContext gw;
    private final ListenerSpec listener;
    private String username;
    /** Bytes behind the CONNECT request (the command decoder passes them on as they are): the tunnel's first. */
    private final EarlyBytes early = new EarlyBytes();

    public Socks5Handler(GatewayContext gw, ListenerSpec listener) {
        this.gw = gw;
        this.listener = listener;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf b) {
            early.add(ctx, b);
            return;
        }
        super.channelRead(ctx, msg);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Socks5Message msg) {
        if (msg.decoderResult().isFailure()) {
            String why = String.valueOf(msg.decoderResult().cause().getMessage());
            if (msg instanceof Socks5CommandRequest && why.startsWith("unsupported address type")) {
                // RFC 1928 §6 has a reply for it (X'08'); Netty's decoder says so only in its message.
                gw.observer().refused(listener.name(), "bad-request", "malformed SOCKS5 message: " + why);
                reply(ctx, Socks5CommandStatus.ADDRESS_UNSUPPORTED, Socks5AddressType.IPv4)
                        .addListener(ChannelFutureListener.CLOSE);
                return;
            }
            gw.observer().refused(listener.name(), "bad-request", "malformed SOCKS5 message: " + why);
            // Each step's own failure answer before the close, where the client speaks SOCKS5 at all.
            Object answer = msg instanceof Socks5CommandRequest
                    ? new DefaultSocks5CommandResponse(Socks5CommandStatus.FAILURE, Socks5AddressType.IPv4)
                    : msg instanceof Socks5PasswordAuthRequest
                    ? new DefaultSocks5PasswordAuthResponse(Socks5PasswordAuthStatus.FAILURE)
                    : why.startsWith("unsupported version") ? null
                    : new DefaultSocks5InitialResponse(Socks5AuthMethod.UNACCEPTED);
            if (answer == null) {
                ctx.close();
            } else {
                ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
            }
            return;
        }
        if (msg instanceof Socks5InitialRequest init) {
            if (init.authMethods().contains(Socks5AuthMethod.PASSWORD)) {
                ctx.pipeline().replace(GatewayPipeline.SOCKS_DECODER, GatewayPipeline.SOCKS_DECODER,
                        new Socks5PasswordAuthRequestDecoder());
                ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.PASSWORD));
            } else if (init.authMethods().contains(Socks5AuthMethod.NO_AUTH)) {
                ctx.pipeline().replace(GatewayPipeline.SOCKS_DECODER, GatewayPipeline.SOCKS_DECODER,
                        new Socks5CommandRequestDecoder());
                ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.NO_AUTH));
            } else {
                gw.observer().refused(listener.name(), "bad-request", "no acceptable SOCKS5 method");
                ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.UNACCEPTED))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        } else if (msg instanceof Socks5PasswordAuthRequest auth) {
            username = auth.username().isEmpty() ? null : auth.username();
            ctx.pipeline().replace(GatewayPipeline.SOCKS_DECODER, GatewayPipeline.SOCKS_DECODER,
                    new Socks5CommandRequestDecoder());
            ctx.writeAndFlush(new DefaultSocks5PasswordAuthResponse(Socks5PasswordAuthStatus.SUCCESS));
        } else if (msg instanceof Socks5CommandRequest cmd) {
            command(ctx, cmd);
        } else {
            refuse(ctx, "bad-request", "unexpected SOCKS5 message " + msg.getClass().getSimpleName());
        }
    }

    private void command(ChannelHandlerContext ctx, Socks5CommandRequest cmd) {
        if (cmd.type() != Socks5CommandType.CONNECT) {
            gw.observer().refused(listener.name(), "unsupported-command", "SOCKS5 command " + cmd.type());
            reply(ctx, Socks5CommandStatus.COMMAND_UNSUPPORTED, cmd.dstAddrType()).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        Outcome outcome;
        try {
            outcome = gw.decider().decide(listener, cmd.dstAddr(), null, cmd.dstPort(), username, client(ctx));
        } catch (IllegalArgumentException e) {
            gw.observer().refused(listener.name(), "bad-request", e.getMessage());
            reply(ctx, Socks5CommandStatus.HOST_UNREACHABLE, cmd.dstAddrType()).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        gw.observer().decided(listener.name(), outcome);
        if (!outcome.allowed()) {
            reply(ctx, Socks5CommandStatus.FORBIDDEN, cmd.dstAddrType()).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.channel().config().setAutoRead(false);
        TunnelOpener.open(gw, listener, ctx.channel(), outcome, new TunnelOpener.Callback() {
            @Override
            public void connected(Tunnel tunnel, Channel upstream) {
                InetSocketAddress bound = (InetSocketAddress) upstream.localAddress();
                Socks5AddressType type = bound.getAddress() instanceof java.net.Inet6Address
                        ? Socks5AddressType.IPv6 : Socks5AddressType.IPv4;
                ctx.writeAndFlush(new DefaultSocks5CommandResponse(Socks5CommandStatus.SUCCESS, type,
                        bound.getAddress().getHostAddress(), bound.getPort())).addListener((ChannelFutureListener) f -> {
                            if (!f.isSuccess()) {
                                ctx.close();
                                return;
                            }
                            var p = ctx.pipeline();
                            p.remove(GatewayPipeline.HANDSHAKE_TIMEOUT);
                            p.remove(GatewayPipeline.SOCKS_DECODER);
                            p.remove(GatewayPipeline.SOCKS_ENCODER);
                            p.addLast(GatewayPipeline.PEEK, new ClientHelloPeekHandler(gw, tunnel));
                            Relay.splice(tunnel, ctx.channel(), upstream, gw.limits());
                            early.handOver(ctx);
                            p.remove(Socks5Handler.this);
                        });
            }

            @Override
            public void failed(String reason, String detail) {
                gw.observer().refused(listener.name(), reason, detail);
                Socks5CommandStatus status = switch (reason) {
                    case "unknown-host" -> Socks5CommandStatus.HOST_UNREACHABLE;
                    case "not-allowed", "blocked-while-connecting" -> Socks5CommandStatus.FORBIDDEN;
                    default -> Socks5CommandStatus.CONNECTION_REFUSED;
                };
                reply(ctx, status, cmd.dstAddrType()).addListener(ChannelFutureListener.CLOSE);
            }
        });
    }

    private static io.netty.channel.ChannelFuture reply(ChannelHandlerContext ctx, Socks5CommandStatus status,
                                                       Socks5AddressType type) {
        Socks5AddressType t = type == Socks5AddressType.DOMAIN ? Socks5AddressType.IPv4 : type;
        return ctx.writeAndFlush(new DefaultSocks5CommandResponse(status, t));
    }

    private void refuse(ChannelHandlerContext ctx, String reason, String detail) {
        gw.observer().refused(listener.name(), reason, detail);
        ctx.close();
    }

    private static IpAddress client(ChannelHandlerContext ctx) {
        return ClientAddress.of(ctx.channel());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        early.release();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        early.release();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("socks5 listener {}: client {} failed: {}", listener.name(), ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
