package org.opgate.gateway.listener;

import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles what goes wrong on a listener's server socket, such as an accept failing because the
 * process is out of open files: one line in the log, and accepting pauses for a second (as
 * Netty's own acceptor does), where Netty would log a stack trace every second that the
 * exception reached the end of the pipeline. Accepting resumes by itself.
 */
public final class AcceptErrors extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(AcceptErrors.class);
    private static final long PAUSE_MILLIS = 1000;

    private final String listener;

    public AcceptErrors(String listener) {
        this.listener = listener;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("listener {}: cannot accept a connection: {}; accepting again in {} ms", listener,
                cause.getMessage(), PAUSE_MILLIS);
        ChannelConfig config = ctx.channel().config();
        if (config.isAutoRead()) {
            config.setAutoRead(false);
            ctx.channel().eventLoop().schedule(() -> config.setAutoRead(true), PAUSE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }
}
