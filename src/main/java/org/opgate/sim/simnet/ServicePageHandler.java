package org.opgate.sim.simnet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Answers every HTTP request with a small HTML page naming the simulated service: the one for the
 * TLS SNI when there was one, else the one for the Host header. Keep-alive itself is left to the
 * {@code HttpServerKeepAliveHandler} before it; this handler only says whether the client asked
 * for it. The request is released by {@link SimpleChannelInboundHandler}. One per connection.
 */
final class ServicePageHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private final ServiceDirectory services;
    private final String sni;

    /**
     * @param sni the server name of the TLS connection, or null (plain HTTP, or no SNI sent):
     *            then the Host header names the service
     */
    ServicePageHandler(ServiceDirectory services, String sni) {
        this.services = services;
        this.sni = sni;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            FullHttpResponse bad = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST);
            HttpUtil.setContentLength(bad, 0);
            HttpUtil.setKeepAlive(bad, false);
            ctx.writeAndFlush(bad).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        String name = sni != null ? sni : ServiceDirectory.hostOf(req.headers().get(HttpHeaderNames.HOST));
        byte[] page = page(services.serviceFor(name), name);
        boolean head = HttpMethod.HEAD.equals(req.method());
        ByteBuf body = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(page);
        FullHttpResponse res = new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.OK, body);
        res.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        HttpUtil.setContentLength(res, page.length);
        HttpUtil.setKeepAlive(res, HttpUtil.isKeepAlive(req));
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }

    /** The page: the service as title and heading, and the name it was reached by. */
    static byte[] page(String service, String name) {
        String s = escape(service);
        String html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + s + "</title></head>\n"
                + "<body><h1>" + s + "</h1>\n<p>Simulated by opgate simnet"
                + (name == null ? "" : " for " + escape(name)) + ".</p></body></html>\n";
        return html.getBytes(StandardCharsets.UTF_8);
    }

    private static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
