package org.opgate.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;

/**
 * One client connection of the load generator: the proxy handshake, then the ClientHello (and
 * the payload) and what the workload expects back. Runs on the generator's single event loop,
 * like every other connection, so nothing here is shared between threads. It is also the
 * listener of its own connect, so a tunnel costs no more objects than it needs.
 */
final class TunnelConnection extends ChannelInboundHandlerAdapter implements ChannelFutureListener {

    /** What the connection is for. */
    enum Mode {
        /** Send the hello and the payload, check the echo, close: one tunnel of the rate workload. */
        ECHO_ONCE,
        /** Like ECHO_ONCE, then stay open (idle workload) until {@link #ping} asks for another echo. */
        HOLD,
        /** Expect the proxy to refuse the tunnel. */
        REFUSAL,
        /** Send the hello, then stream to the sink for as long as the run lasts. */
        STREAM,
        /** Mix: a BES tunnel that may be echoed or refused, depending on the gateway clock. */
        BES_EITHER,
        /** Mix: a BES tunnel that, once echoed, stays open until the gateway cuts it. */
        BES_HOLD
    }

    private final LoadGenerator gen;
    private final Mode mode;
    private final Protocol.Handshake handshake;
    private final ByteBuf[] next = new ByteBuf[1];
    final long startNanos;
    private ChannelHandlerContext ctx;
    private ByteBuf pending;
    private boolean established;
    /** What must come back, from its reader index; shared and never released. */
    private ByteBuf expected;
    private int received;
    private boolean done;
    boolean held;
    /** A held BES tunnel whose place in a closed loop was already given to a new tunnel. */
    boolean replaced;

    TunnelConnection(LoadGenerator gen, Mode mode, Protocol.Handshake handshake, long startNanos) {
        this.gen = gen;
        this.mode = mode;
        this.handshake = handshake;
        this.startNanos = startNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // Set before the connect, so that a timeout can close a connection still connecting.
        this.ctx = ctx;
    }

    @Override
    public void operationComplete(ChannelFuture connect) {
        if (!connect.isSuccess()) {
            gen.connectFailed(this, connect.cause());
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ByteBuf first = handshake.start(ctx.alloc());
        if (first != null) {
            ctx.writeAndFlush(first, ctx.voidPromise());
        } else {
            established(ctx);
        }
    }

    private void established(ChannelHandlerContext ctx) {
        established = true;
        switch (mode) {
            case STREAM -> {
                ctx.write(gen.sinkHello().retainedDuplicate(), ctx.voidPromise());
                gen.streaming(ctx.channel());
            }
            case REFUSAL, BES_EITHER, BES_HOLD -> {
                expected = gen.blockedFirstFlightBuf();
                ctx.writeAndFlush(gen.blockedFirstFlightBuf().retainedDuplicate(), ctx.voidPromise());
            }
            default -> {
                expected = gen.firstFlightBuf();
                ctx.writeAndFlush(gen.firstFlightBuf().retainedDuplicate(), ctx.voidPromise());
            }
        }
    }

    /** Idle workload: asks for one more echo of the payload on a held tunnel. */
    void ping() {
        held = false;
        received = 0;
        expected = gen.payloadBuf();
        ctx.writeAndFlush(gen.payloadBuf().retainedDuplicate(), ctx.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (done) {
                return;
            }
            if (!established) {
                handshake(ctx, in);
                return;
            }
            check(ctx, in);
        } finally {
            ReferenceCountUtil.release(in);
        }
    }

    private void handshake(ChannelHandlerContext ctx, ByteBuf in) {
        ByteBuf buf = in;
        if (pending != null) {
            pending.writeBytes(in);
            buf = pending;
        }
        Protocol.Step step = handshake.read(buf, ctx.alloc(), next);
        switch (step) {
            case NEED_MORE -> {
                if (pending == null) {
                    pending = ctx.alloc().buffer(Math.max(64, in.readableBytes()));
                    pending.writeBytes(in);
                }
            }
            case SENT_NEXT -> {
                ctx.writeAndFlush(next[0], ctx.voidPromise());
                next[0] = null;
                if (buf.isReadable()) {
                    fail("bytes after a SOCKS5 method reply");
                }
                dropPending();
            }
            case ESTABLISHED -> {
                boolean extra = buf.isReadable();
                dropPending();
                if (extra) {
                    fail("proxy sent bytes before the tunnel's first byte was sent");
                } else if (mode == Mode.REFUSAL) {
                    fail("tunnel for a blocked class was accepted by the proxy");
                } else {
                    established(ctx);
                }
            }
            case REFUSED -> {
                dropPending();
                if (mode == Mode.REFUSAL || mode == Mode.BES_EITHER || mode == Mode.BES_HOLD) {
                    finish(true);
                } else {
                    fail("refused: " + handshake.detail);
                }
            }
            case BROKEN -> {
                dropPending();
                fail("bad handshake reply: " + handshake.detail);
            }
        }
    }

    private void check(ChannelHandlerContext ctx, ByteBuf in) {
        int n = in.readableBytes();
        if (mode == Mode.REFUSAL) {
            fail("bytes came back on a tunnel for a blocked class");
            return;
        }
        if (mode == Mode.STREAM || expected == null || received + n > expected.readableBytes()) {
            fail("more bytes came back than were sent (" + (received + n) + "): "
                    + in.toString(in.readerIndex(), Math.min(n, 80), java.nio.charset.StandardCharsets.ISO_8859_1).replaceAll("[^ -~]", "."));
            return;
        }
        if (!ByteBufUtil.equals(in, in.readerIndex(), expected, expected.readerIndex() + received, n)) {
            fail("echoed bytes " + received + " to " + (received + n - 1) + " differ from the bytes sent");
            return;
        }
        received += n;
        if (received == expected.readableBytes()) {
            if (mode == Mode.HOLD) {
                held = true;
                gen.heldEcho(this);
            } else if (mode == Mode.BES_HOLD) {
                held = true;
                gen.besAllowed();
                gen.besHeld(this);
            } else if (mode == Mode.BES_EITHER) {
                gen.besAllowed();
                done = true;
                ctx.close();
            } else {
                finish(false);
            }
        }
    }

    private void finish(boolean refused) {
        done = true;
        gen.tunnelDone(this, refused);
        ctx.close();
    }

    private void fail(String why) {
        if (!done) {
            done = true;
            gen.error(this, why);
        }
        ctx.close();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (mode == Mode.STREAM && established && ctx.channel().isWritable()) {
            gen.pump(ctx.channel());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        dropPending();
        if (!done && bes() && (held || received > 0 || (established && handshake.needed()))) {
            // A BES tunnel the gateway had let through and then closed: cut at the deadline.
            done = true;
            if (!gen.stopping()) {
                gen.cut();
            }
        }
        if (!done) {
            if ((mode == Mode.REFUSAL || mode == Mode.BES_EITHER || mode == Mode.BES_HOLD) && received == 0 && !handshake.needed()) {
                // A close or reset before any byte came back: how an SNI listener refuses.
                // CONNECT and SOCKS5 must refuse in their own protocol (403, reply code).
                finish(true);
            } else if (mode == Mode.STREAM && gen.stopping()) {
                done = true;
            } else {
                fail(established ? "closed by the proxy after " + received + " of "
                        + (expected == null ? 0 : expected.readableBytes()) + " bytes" : "closed by the proxy during the handshake");
            }
        }
        gen.closed(this);
    }

    /** Closes a connection that took too long, as an error. */
    void timeout() {
        fail("no answer within the tunnel timeout" + (established ? " (" + received + " bytes back)" : " (handshake)"));
    }

    boolean finished() {
        return done;
    }

    Mode mode() {
        return mode;
    }

    /** Mix: a BES tunnel, which the gateway may let through, refuse, or cut. */
    private boolean bes() {
        return mode == Mode.BES_EITHER || mode == Mode.BES_HOLD;
    }

    /** Closes a held tunnel that was never cut, without counting anything. */
    void release() {
        done = true;
        held = false;
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!done && bes() && mode != Mode.REFUSAL && (held || received > 0 || (established && handshake.needed()))
                && cause instanceof IOException) {
            done = true;
            if (!gen.stopping()) {
                gen.cut();
            }
            ctx.close();
            return;
        }
        boolean bes = mode == Mode.REFUSAL || mode == Mode.BES_EITHER || mode == Mode.BES_HOLD;
        if (!done && bes && received == 0 && !handshake.needed() && cause instanceof IOException) {
            finish(true);
            return;
        }
        if (mode == Mode.STREAM && gen.stopping()) {
            done = true;
            ctx.close();
            return;
        }
        fail(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }

    private void dropPending() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }
}
