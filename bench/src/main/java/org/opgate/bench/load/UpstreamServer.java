package org.opgate.bench.load;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import org.opgate.gateway.sni.ClientHello;
import org.opgate.gateway.sni.ClientHelloParser;

/**
 * The upstream every proxy (and the no-proxy baseline) reaches: one loopback port that echoes
 * everything back, except connections whose ClientHello names {@code sink.*}, which it reads and
 * discards. So one backend address serves every workload and every peer's config stays simple.
 */
final class UpstreamServer {

    private UpstreamServer() {
    }

    static Channel start(EventLoopGroup group, ChannelFactory<ServerChannel> channels, InetSocketAddress bind)
            throws InterruptedException {
        return new ServerBootstrap()
                .group(group)
                .channelFactory(channels)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new EchoOrSink());
                    }
                })
                .bind(bind).sync().channel();
    }

    /** Echoes, or sinks once the ClientHello names a {@code sink.} host. */
    static final class EchoOrSink extends ChannelInboundHandlerAdapter {
        private ByteBuf held;
        private boolean decided;
        private boolean sink;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            if (decided) {
                if (sink) {
                    in.release();
                } else {
                    ctx.write(in, ctx.voidPromise());
                }
                return;
            }
            held = held == null ? in : ctx.alloc().compositeBuffer().addComponents(true, held, in);
            ClientHello hello = ClientHelloParser.parse(held, 64 * 1024);
            if (hello.status() == ClientHello.Status.NEED_MORE) {
                return;
            }
            decided = true;
            sink = hello.sni() != null && hello.sni().startsWith("sink.");
            ByteBuf first = held;
            held = null;
            if (sink) {
                first.release();
            } else {
                ctx.write(first, ctx.voidPromise());
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ReferenceCountUtil.release(held);
            held = null;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
