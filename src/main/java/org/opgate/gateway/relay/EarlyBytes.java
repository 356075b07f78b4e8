package org.opgate.gateway.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;

/**
 * Client bytes that arrived right behind a proxy request (HTTP CONNECT, SOCKS5 CONNECT), before
 * the answer: they are the tunnel's first bytes. A handshake handler holds them here while it
 * decides and connects, and hands them to the spliced pipeline (peek, then relay) so they are
 * neither lost nor reordered. Owned by one handler; used on its event loop only.
 */
public final class EarlyBytes {

    private ByteBuf held;

    /** Takes ownership of {@code b}, after what is held already. */
    public void add(ChannelHandlerContext ctx, ByteBuf b) {
        // Merged, not wrapped in a composite per read (which would nest once per byte trickled).
        held = held == null ? b : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), held, b);
    }

    /**
     * Fires what is held to the handlers after {@code ctx}, as if just read; ownership passes on.
     * Call once the tunnel is spliced behind the handshake handler, before that handler leaves.
     */
    public void handOver(ChannelHandlerContext ctx) {
        ByteBuf b = held;
        held = null;
        if (b != null) {
            ctx.fireChannelRead(b);
            ctx.fireChannelReadComplete();
        }
    }

    /** Drops what is held (the tunnel was refused or the client went away). */
    public void release() {
        if (held != null) {
            ReferenceCountUtil.release(held);
            held = null;
        }
    }
}
