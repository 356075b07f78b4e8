package org.opgate.admin;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Aggregates admin requests up to {@link AdminServer#MAX_BODY} bytes and refuses a larger body
 * the way every other admin error is refused: 413 with a JSON error that says what was expected
 * (Netty's own 413 has no body). Like Netty, it keeps a keep-alive connection open and skips the
 * rest of the body, and closes the connection when it cannot recover.
 */
final class AdminAggregator extends HttpObjectAggregator {

    AdminAggregator() {
        super(AdminServer.MAX_BODY);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (!(oversized instanceof HttpRequest)) {
            super.handleOversizedMessage(ctx, oversized);
            return;
        }
        boolean close = oversized instanceof FullHttpMessage || !ctx.channel().config().isAutoRead()
                || !HttpUtil.is100ContinueExpected(oversized) && !HttpUtil.isKeepAlive(oversized);
        long length = HttpUtil.getContentLength(oversized, -1L);
        FullHttpResponse r = AdminHandler.json(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, AdminHandler.error(
                "request body " + (length < 0 ? "" : "of " + length + " bytes ") + "is too large",
                "a body of at most " + AdminServer.MAX_BODY + " bytes"));
        HttpUtil.setKeepAlive(r, !close);
        ctx.writeAndFlush(r).addListener(close ? ChannelFutureListener.CLOSE : ChannelFutureListener.CLOSE_ON_FAILURE);
    }
}
