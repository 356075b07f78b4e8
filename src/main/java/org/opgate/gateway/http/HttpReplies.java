package org.opgate.gateway.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/** Answers the gateway gives in HTTP: refusals carry the reason in a header and a short body. */
final class HttpReplies {

    static final String REASON_HEADER = "X-Opgate-Reason";

    private HttpReplies() {
    }

    /**
     * Writes {@code status} with the reason as {@code X-Opgate-Reason} and as a text body, and
     * closes after it unless {@code keepAlive}.
     */
    static ChannelFuture refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String reason, boolean keepAlive) {
        ByteBuf body = ByteBufUtil.writeUtf8(ctx.alloc(), reason + "\n");
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        r.headers().set(REASON_HEADER, headerSafe(reason));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        HttpUtil.setKeepAlive(r, keepAlive);
        ChannelFuture f = ctx.writeAndFlush(r);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
        return f;
    }

    /** Header values are ASCII without control characters; anything else becomes '?'. */
    static String headerSafe(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return sb.toString();
    }
}
