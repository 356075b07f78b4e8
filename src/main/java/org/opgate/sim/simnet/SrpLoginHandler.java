package org.opgate.sim.simnet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;

/**
 * The relay end of an SRP link: reads the BES server's login line ({@code SRP-LOGIN <id>}) and
 * asks the {@link SrpRelay} whether the id may connect. Admitted, the link echoes (the login line
 * first), as the {@code echo} server does; disabled, the server gets {@code SRP-DISABLED <id>} and
 * the connection is closed. Bytes that are not a login line are echoed too. One per connection.
 */
final class SrpLoginHandler extends ChannelInboundHandlerAdapter {

    /** Longest login line read; a longer first line is not a login. */
    static final int MAX_LINE = 256;

    private final SrpRelay relay;
    private ByteBuf first;

    SrpLoginHandler(SrpRelay relay) {
        this.relay = relay;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (first == null) {
            first = in;
        } else {
            ByteBuf merged = ctx.alloc().buffer(first.readableBytes() + in.readableBytes()).writeBytes(first).writeBytes(in);
            first.release();
            in.release();
            first = merged;
        }
        int eol = first.indexOf(first.readerIndex(), first.writerIndex(), (byte) '\n');
        if (eol < 0 && first.readableBytes() < MAX_LINE) {
            return;
        }
        ByteBuf bytes = first;
        first = null;
        String line = eol < 0 ? "" : bytes.toString(bytes.readerIndex(), eol - bytes.readerIndex(), StandardCharsets.US_ASCII).trim();
        ctx.pipeline().replace(this, SimnetPipelines.ECHO, new EchoHandler());
        if (line.startsWith(SrpRelay.LOGIN + " ")) {
            String id = line.substring(SrpRelay.LOGIN.length() + 1).trim();
            if (!relay.login(id)) {
                bytes.release();
                ctx.writeAndFlush(Unpooled.copiedBuffer(SrpRelay.DISABLED + " " + id + "\r\n", StandardCharsets.US_ASCII))
                        .addListener(ChannelFutureListener.CLOSE);
                return;
            }
        }
        ctx.pipeline().fireChannelRead(bytes);
        ctx.pipeline().fireChannelReadComplete();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (first != null) {
            first.release();
            first = null;
        }
    }
}
