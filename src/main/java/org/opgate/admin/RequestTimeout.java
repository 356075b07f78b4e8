package org.opgate.admin;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Gives an admin connection a fixed time to send a complete request, from its opening and again
 * from each answer (a keep-alive connection waiting for its next request); then closes it. A
 * half-sent or idle connection would otherwise hold a file for good. An event stream
 * ({@code /events}) is a response that never completes, so it stays open.
 */
final class RequestTimeout extends ChannelDuplexHandler {

    private final long millis;
    private ScheduledFuture<?> timer;

    RequestTimeout(Duration timeout) {
        this.millis = timeout.toMillis();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            cancel();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof FullHttpResponse) {
            ChannelPromise p = promise.unvoid();
            p.addListener(f -> {
                if (ctx.channel().isActive()) {
                    arm(ctx);
                }
            });
            ctx.write(msg, p);
            return;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void arm(ChannelHandlerContext ctx) {
        cancel();
        timer = ctx.executor().schedule(() -> ctx.close(), millis, TimeUnit.MILLISECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
