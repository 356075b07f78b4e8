package org.opgate.gateway.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.opgate.config.ListenerSpec;
import org.opgate.flow.HostName;
import org.opgate.flow.IpAddress;
import org.opgate.gateway.GatewayContext;
import org.opgate.gateway.listener.ClientAddress;
import org.opgate.gateway.GatewayPipeline;
import org.opgate.gateway.enforce.Outcome;
import org.opgate.gateway.enforce.TunnelOpener;
import org.opgate.gateway.enforce.Tunnel;
import org.opgate.gateway.relay.EarlyBytes;
import org.opgate.gateway.relay.IdleCloseHandler;
import org.opgate.gateway.relay.Relay;
import org.opgate.gateway.sni.ClientHelloPeekHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code http} listener's handshake: CONNECT requests become tunnels, absolute-URI requests
 * are forwarded one decision per request (by {@link ForwardSession}), anything else is a 400.
 * {@code Proxy-Authorization: Basic} gives the subscriber id (its user name).
 */
public final class HttpProxyHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(HttpProxyHandler.class);

    private final GatewayContext gw;
    private final ListenerSpec listener;
    private ForwardSession forward;
    /** Set once a CONNECT is being handled: what the client sends next is the tunnel's, held in {@link #early}. */
    private boolean connecting;
    private final EarlyBytes early = new EarlyBytes();
    /**
     * Set once the connection is answered with a refusal and closing: what the decoder still
     * makes of the same read (a pipelined request, say) is dropped, never decided or counted.
     */
    private boolean closing;

    public HttpProxyHandler(GatewayContext gw, ListenerSpec listener) {
        this.gw = gw;
        this.listener = listener;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (connecting) {
            if (msg instanceof ByteBuf b) {
                early.add(ctx, b);
            } else {
                // The end of the CONNECT request (an empty last content).
                ReferenceCountUtil.release(msg);
            }
            return;
        }
        if (msg instanceof HttpRequest req) {
            boolean handedOver = false;
            try {
                handedOver = onRequest(ctx, req);
            } finally {
                if (!handedOver) {
                    ReferenceCountUtil.release(req);
                }
            }
            return;
        }
        if (msg instanceof HttpContent content && forward != null) {
            forward.content(ctx, content);
            return;
        }
        ReferenceCountUtil.release(msg);
    }

    /** Handles a request head; returns true if ownership passed to the forward session. */
    private boolean onRequest(ChannelHandlerContext ctx, HttpRequest req) {
        DecoderResult dr = req.decoderResult();
        if (dr.isFailure()) {
            int max = gw.limits().maxHeaderBytes();
            if (dr.cause() instanceof TooLongHttpLineException) {
                // RFC 9112 §3: a request-target longer than the server parses is a 414.
                refuse(ctx, HttpResponseStatus.REQUEST_URI_TOO_LONG, "header-too-large",
                        "request line longer than " + max + " bytes");
            } else if (dr.cause() instanceof TooLongFrameException) {
                refuse(ctx, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "header-too-large",
                        "request head larger than " + max + " bytes");
            } else {
                refuse(ctx, HttpResponseStatus.BAD_REQUEST, "bad-request", "malformed HTTP request: " + dr.cause().getMessage());
            }
            return false;
        }
        HttpVersion version = req.protocolVersion();
        if (!version.equals(HttpVersion.HTTP_1_1) && !version.equals(HttpVersion.HTTP_1_0)) {
            // Netty reads any HTTP/x.y; a proxy speaks only the versions whose framing it knows.
            refuse(ctx, HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "bad-request",
                    version.text() + " is not supported (expected: HTTP/1.1 or HTTP/1.0)");
            return false;
        }
        if (!HostName.isAscii(req.uri())) {
            // The decoder reads the line as ISO-8859-1: a raw UTF-8 name would be classified as another name.
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "bad-request", "request target has a non-ASCII byte"
                    + " (expected: an IDN as punycode, other bytes percent-encoded)");
            return false;
        }
        String username = basicUser(req);
        if (req.method().equals(HttpMethod.CONNECT)) {
            // What follows the CONNECT head is the tunnel's first bytes, not HTTP: stop decoding (keep an
            // encoder for the answer). Replacing the codec hands us what its decoder already holds.
            connecting = true;
            ctx.pipeline().replace(GatewayPipeline.HTTP_CODEC, GatewayPipeline.HTTP_CODEC, new HttpResponseEncoder());
            connect(ctx, req, username);
            return false;
        }
        String uri = req.uri();
        if (uri.regionMatches(true, 0, "http://", 0, 7)) {
            if (forward == null) {
                forward = new ForwardSession(gw, listener, ctx);
                // A forward-proxy connection is kept alive across requests: from now on only idleness ends it.
                var p = ctx.pipeline();
                p.remove(GatewayPipeline.HANDSHAKE_TIMEOUT);
                p.addBefore(GatewayPipeline.HTTP_CODEC, GatewayPipeline.IDLE, new IdleStateHandler(0, 0,
                        gw.limits().idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
                p.addAfter(GatewayPipeline.IDLE, GatewayPipeline.IDLE_CLOSE, new IdleCloseHandler(null));
            }
            forward.request(ctx, req, username, client(ctx));
            return true;
        }
        String why = uri.regionMatches(true, 0, "https://", 0, 8)
                ? "https URLs go through CONNECT, not as forward requests"
                : "not a proxy request: '" + uri + "' (expected: CONNECT host:port, or an absolute http:// URL)";
        refuse(ctx, HttpResponseStatus.BAD_REQUEST, "bad-request", why);
        return false;
    }

    /** The port written as 1 to 5 decimal digits from {@code from} to the end, else -1 (no sign, no spaces). */
    private static int port(String target, int from) {
        int n = target.length() - from;
        if (n < 1 || n > 5) {
            return -1;
        }
        int port = 0;
        for (int i = from; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            port = port * 10 + (c - '0');
        }
        return port;
    }

    private void connect(ChannelHandlerContext ctx, HttpRequest req, String username) {
        String target = req.uri();
        int colon = target.lastIndexOf(':');
        int port = colon > 0 ? port(target, colon + 1) : -1;
        if (colon == 0) {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "bad-request", "CONNECT target '" + target
                    + "' has no host (expected: host:port)");
            return;
        }
        if (port < 1 || port > 65535) {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "bad-request", "CONNECT target '" + target
                    + "' has no valid port (expected: host:port)");
            return;
        }
        String host = target.substring(0, colon);
        Outcome outcome;
        try {
            outcome = gw.decider().decide(listener, host, null, port, username, client(ctx));
        } catch (IllegalArgumentException e) {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "bad-request", "CONNECT target: " + e.getMessage());
            return;
        }
        gw.observer().decided(listener.name(), outcome);
        if (!outcome.allowed()) {
            closing = true;
            HttpReplies.refuse(ctx, HttpResponseStatus.FORBIDDEN, outcome.decision().reason(), false);
            return;
        }
        ctx.channel().config().setAutoRead(false);
        TunnelOpener.open(gw, listener, ctx.channel(), outcome, new TunnelOpener.Callback() {
            @Override
            public void connected(Tunnel tunnel, Channel upstream) {
                FullHttpResponse ok = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        new HttpResponseStatus(200, "Connection established"));
                ok.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
                ctx.writeAndFlush(ok).addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        ctx.close();
                        return;
                    }
                    var p = ctx.pipeline();
                    if (forward != null) {
                        // This keep-alive connection forwarded requests before: it has no handshake
                        // timeout left, and its idle handlers make way for the tunnel's.
                        forward.close();
                        forward = null;
                        p.remove(GatewayPipeline.IDLE);
                        p.remove(GatewayPipeline.IDLE_CLOSE);
                    } else {
                        p.remove(GatewayPipeline.HANDSHAKE_TIMEOUT);
                    }
                    p.remove(GatewayPipeline.HTTP_CODEC);
                    p.addLast(GatewayPipeline.PEEK, new ClientHelloPeekHandler(gw, tunnel));
                    Relay.splice(tunnel, ctx.channel(), upstream, gw.limits());
                    early.handOver(ctx);
                    p.remove(HttpProxyHandler.this);
                });
            }

            @Override
            public void failed(String reason, String detail) {
                closing = true;
                gw.observer().refused(listener.name(), reason, detail);
                HttpReplies.refuse(ctx, reason.equals("blocked-while-connecting") ? HttpResponseStatus.FORBIDDEN
                        : HttpResponseStatus.BAD_GATEWAY, detail, false);
            }
        });
    }

    private void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String reason, String detail) {
        closing = true;
        gw.observer().refused(listener.name(), reason, detail);
        HttpReplies.refuse(ctx, status, detail, false);
    }

    static IpAddress client(ChannelHandlerContext ctx) {
        return ClientAddress.of(ctx.channel());
    }

    /** The user name of a {@code Proxy-Authorization: Basic} header, or null. */
    static String basicUser(HttpRequest req) {
        return basicUser(req.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION));
    }

    /** The user name of a {@code Proxy-Authorization} value ({@code Basic <base64 user:password>}), or null. */
    public static String basicUser(String h) {
        if (h == null || !h.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            String user = colon < 0 ? decoded : decoded.substring(0, colon);
            return user.isEmpty() ? null : user;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (forward != null) {
            forward.close();
        }
        early.release();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (forward != null) {
            forward.clientWritable(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        early.release();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("http listener {}: client {} failed: {}", listener.name(), ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    static boolean keepAlive(HttpRequest req) {
        return HttpUtil.isKeepAlive(req);
    }

    static boolean isLast(HttpContent c) {
        return c instanceof LastHttpContent;
    }
}
