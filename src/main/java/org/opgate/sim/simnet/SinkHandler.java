package org.opgate.sim.simnet;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.atomic.LongAdder;

/** The sink: counts and releases every byte it reads, and never writes. One per connection. */
final class SinkHandler extends ChannelInboundHandlerAdapter {

    private final LongAdder received;

    SinkHandler(LongAdder received) {
        this.received = received;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof ByteBuf buf) {
                received.add(buf.readableBytes());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }
}
