package org.opgate.sim.simnet;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import java.io.IOException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last handler of every simnet pipeline: logs an exception once and closes the connection.
 * Clients of a simulated server hang up and fail handshakes all the time, so those are logged at
 * debug; anything else at warn. Stateless, hence shared.
 */
@Sharable
final class CloseOnError extends ChannelInboundHandlerAdapter {

    static final CloseOnError INSTANCE = new CloseOnError();

    private static final Logger log = LoggerFactory.getLogger(CloseOnError.class);

    private CloseOnError() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (expected(cause)) {
            log.debug("simnet {} from {}: {}; closing", ctx.channel().id(), ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("simnet {} from {}: closing after an error", ctx.channel().id(), ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    private static boolean expected(Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        // A client that hangs up mid-request (the gateway does, at a malformed client body) is a hang-up too.
        return c instanceof IOException || c instanceof SSLException || c instanceof PrematureChannelClosureException;
    }
}
