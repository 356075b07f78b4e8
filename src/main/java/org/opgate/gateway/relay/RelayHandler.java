package org.opgate.gateway.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import org.opgate.gateway.enforce.Tunnel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies what one side reads to the other side, with backpressure: when the peer's outbound
 * buffer rises above its high water mark this side stops reading, and it reads again when the
 * peer drains below the low mark. Half-close is passed on (the peer's output is shut after its
 * pending writes), and a side that goes away closes the other after a flush.
 *
 * <p>Both channels of a tunnel share one event loop, so no state here needs to be volatile.
 */
public final class RelayHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(RelayHandler.class);

    private final Channel peer;
    private final Tunnel tunnel;
    private final boolean fromClient;

    /**
     * @param peer       the channel to write to
     * @param tunnel     for byte counts and the end reason
     * @param fromClient true on the client channel (bytes go upstream)
     */
    public RelayHandler(Channel peer, Tunnel tunnel, boolean fromClient) {
        this.peer = peer;
        this.tunnel = tunnel;
        this.fromClient = fromClient;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!peer.isActive()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof ByteBuf b) {
            int n = b.readableBytes();
            if (fromClient) {
                tunnel.addUp(n);
            } else {
                tunnel.addDown(n);
            }
        }
        peer.write(msg, peer.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
        if (!peer.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // Our outbound buffer drained or filled: let the peer read again, or hold it.
        peer.config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ChannelInputShutdownEvent.INSTANCE) {
            tunnel.ending(fromClient ? "client" : "upstream");
            if (peer instanceof DuplexChannel p && p.isInputShutdown()) {
                // Both directions have ended: nothing is left to half-close, close both after a flush.
                closeOnFlush(peer);
                closeOnFlush(ctx.channel());
            } else {
                shutdownOutputAfterFlush(peer);
                if (ctx.channel() instanceof DuplexChannel d && d.isOutputShutdown()) {
                    ctx.close();
                }
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    /**
     * Passes a half-close on: once what was written to {@code ch} is flushed, its output is shut
     * (the FIN goes out), and the end of its own input will then close it outright, since there
     * is nothing left to relay either way. That also spares a {@code shutdown(SHUT_RD)} on a
     * socket whose peer has gone, which fails.
     */
    private static void shutdownOutputAfterFlush(Channel ch) {
        if (!ch.isActive()) {
            return;
        }
        ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
            if (!ch.isActive()) {
                return;
            }
            if (ch instanceof DuplexChannel d && !d.isInputShutdown()) {
                d.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
                shutdownOutput(d);
            } else {
                ch.close();
            }
        });
    }

    /**
     * Shuts the output of a channel whose writes are all flushed. On the native transport the
     * socket is shut directly: Netty's {@code shutdownOutput} builds an exception with a stack
     * trace on every call (to fail writes still queued, of which there are none here), a cost
     * paid once per tunnel. The socket records the shutdown, so {@code isOutputShutdown} holds.
     */
    private static void shutdownOutput(DuplexChannel d) {
        if (d instanceof UnixChannel u && u.fd() instanceof Socket s) {
            try {
                s.shutdown(false, true);
            } catch (IOException | RuntimeException ex) {
                // the peer is gone (ENOTCONN, EPIPE): nothing more can be said to it
                d.close();
            }
        } else {
            d.shutdownOutput();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        tunnel.ending(fromClient ? "client" : "upstream");
        closeOnFlush(peer);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        tunnel.ending(fromClient ? "client" : "upstream");
        LOG.debug("tunnel {}: {} side failed: {}", tunnel.id(), fromClient ? "client" : "upstream", cause.toString());
        ctx.close();
    }

    /** Closes {@code ch} once what was written to it is flushed. */
    public static void closeOnFlush(Channel ch) {
        if (ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
