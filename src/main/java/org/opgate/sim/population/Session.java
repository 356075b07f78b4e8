package org.opgate.sim.population;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One client connection of a simulated subscriber, as a Netty handler: the proxy handshake of its
 * listener (HTTP CONNECT, SOCKS5 with RFC 1929 user name, or none for the SNI listener), then its
 * ClientHello, then the server's first bytes (its ServerHello), then open until {@link #finish()}.
 * Reports exactly one outcome to its {@link Listener}. Runs on the channel's event loop.
 */
public final class Session extends ChannelInboundHandlerAdapter {

    /** Told when the server has answered, and once when the session has ended. */
    public interface Listener {
        void opened(Session session);

        void ended(Session session, SessionOutcome outcome, String reason);
    }

    private enum Step { HTTP_REPLY, SOCKS_METHOD, SOCKS_AUTH, SOCKS_REPLY, AWAIT_SERVER, OPEN, DONE }

    /** Real-time limit for a session to get from connect to the server's answer. */
    static final long SETUP_TIMEOUT_SECONDS = 20;

    private final SessionPlan plan;
    /** Real time (System.nanoTime) the session was made: how long its setup has taken. */
    private final long madeNanos = System.nanoTime();
    private final Listener listener;
    private final GatewayNotes notes;
    private Channel channel;
    private InetSocketAddress local;
    private ByteBuf pending;
    private Step step;
    private boolean holdOver;
    private ScheduledFuture<?> timeout;

    Session(SessionPlan plan, Listener listener, GatewayNotes notes) {
        this.plan = plan;
        this.listener = listener;
        this.notes = notes;
    }

    public SessionPlan plan() {
        return plan;
    }

    /** Real nanoseconds since the session was made. */
    long ageNanos() {
        return System.nanoTime() - madeNanos;
    }

    /** Ends the session after its hold time: closes it now if open, else as soon as the server answers. */
    public void finish() {
        Channel ch = channel;
        if (ch == null) {
            holdOver = true;
            return;
        }
        ch.eventLoop().execute(() -> {
            holdOver = true;
            if (step == Step.OPEN) {
                end(SessionOutcome.COMPLETED, null);
            }
        });
    }

    /** Closes the session without an outcome (the run is over); returns when it is closed, or null if never connected. */
    public io.netty.util.concurrent.Future<Void> abandon() {
        Channel ch = channel;
        if (ch == null) {
            return null;
        }
        ch.eventLoop().execute(() -> {
            step = Step.DONE;
            ch.close();
        });
        return ch.closeFuture();
    }

    /** The channel being connected, so that {@link #abandon()} can close it before it is active. */
    void attach(Channel ch) {
        channel = ch;
    }

    /** The connection could not be made at all. */
    void connectFailed(Throwable cause) {
        listener.ended(this, SessionOutcome.ERROR, "connect to the " + plan.listener().configName() + " listener failed: "
                + cause.getMessage());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        local = (InetSocketAddress) channel.localAddress();
        pending = ctx.alloc().heapBuffer(256);
        timeout = ctx.executor().schedule(() -> end(SessionOutcome.ERROR, "timeout: no answer within "
                + SETUP_TIMEOUT_SECONDS + " s"), SETUP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        switch (plan.listener()) {
            case HTTP -> {
                String target = plan.endpoint().host() + ":" + plan.endpoint().port();
                write("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n");
                step = Step.HTTP_REPLY;
            }
            case SOCKS5 -> {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(plan.username() == null ? new byte[] {5, 1, 0} : new byte[] {5, 1, 2}));
                step = Step.SOCKS_METHOD;
            }
            default -> sendHello();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (step != Step.OPEN && step != Step.DONE) {
                pending.writeBytes(in);
                advance();
            }
        } finally {
            in.release();
        }
    }

    private void advance() {
        boolean progressed = true;
        while (progressed && step != Step.DONE && step != Step.OPEN) {
            progressed = switch (step) {
                case HTTP_REPLY -> httpReply();
                case SOCKS_METHOD -> socksMethod();
                case SOCKS_AUTH -> socksAuth();
                case SOCKS_REPLY -> socksReply();
                case AWAIT_SERVER -> serverAnswered();
                default -> false;
            };
        }
    }

    private boolean httpReply() {
        int end = indexOf(pending, "\r\n\r\n");
        if (end < 0) {
            if (pending.readableBytes() > 16384) {
                end(SessionOutcome.ERROR, "HTTP reply head too large");
            }
            return false;
        }
        String head = pending.readCharSequence(end + 4, StandardCharsets.ISO_8859_1).toString();
        String[] lines = head.split("\r\n");
        String[] status = lines[0].split(" ", 3);
        int code = status.length > 1 && status[1].matches("\\d{3}") ? Integer.parseInt(status[1]) : -1;
        if (code == 200) {
            sendHello();
            return true;
        }
        if (code == 403) {
            notes.refusalReason(local());   // the same refusal, heard from the gateway: taken so it cannot go stale
            String reason = null;
            for (String l : lines) {
                if (l.toLowerCase(Locale.ROOT).startsWith("x-opgate-reason:")) {
                    reason = l.substring(l.indexOf(':') + 1).trim();
                }
            }
            end(SessionOutcome.REFUSED, reason == null ? "HTTP 403" : reason);
            return false;
        }
        end(SessionOutcome.ERROR, "HTTP " + (code < 0 ? "reply '" + lines[0] + "'" : code) + " to CONNECT");
        return false;
    }

    private boolean socksMethod() {
        if (pending.readableBytes() < 2) {
            return false;
        }
        int version = pending.readByte();
        int method = pending.readUnsignedByte();
        if (version != 5 || (method != 0 && method != 2)) {
            end(SessionOutcome.ERROR, "SOCKS5 method reply " + version + "/" + method);
            return false;
        }
        if (method == 2) {
            byte[] user = plan.username().getBytes(StandardCharsets.US_ASCII);
            ByteBuf auth = channel.alloc().buffer(3 + user.length + 1);
            auth.writeByte(1).writeByte(user.length).writeBytes(user).writeByte(1).writeByte('x');
            channel.writeAndFlush(auth);
            step = Step.SOCKS_AUTH;
        } else {
            socksConnect();
        }
        return true;
    }

    private boolean socksAuth() {
        if (pending.readableBytes() < 2) {
            return false;
        }
        pending.skipBytes(1);
        int status = pending.readUnsignedByte();
        if (status != 0) {
            end(SessionOutcome.ERROR, "SOCKS5 authentication failed (status " + status + ")");
            return false;
        }
        socksConnect();
        return true;
    }

    private void socksConnect() {
        byte[] host = plan.endpoint().host().getBytes(StandardCharsets.US_ASCII);
        ByteBuf req = channel.alloc().buffer(7 + host.length);
        req.writeByte(5).writeByte(1).writeByte(0).writeByte(3).writeByte(host.length).writeBytes(host)
                .writeShort(plan.endpoint().port());
        channel.writeAndFlush(req);
        step = Step.SOCKS_REPLY;
    }

    private boolean socksReply() {
        if (pending.readableBytes() < 5) {
            return false;
        }
        int r = pending.readerIndex();
        int rep = pending.getUnsignedByte(r + 1);
        int atyp = pending.getUnsignedByte(r + 3);
        int length = switch (atyp) {
            case 1 -> 4 + 4 + 2;
            case 4 -> 4 + 16 + 2;
            case 3 -> 4 + 1 + pending.getUnsignedByte(r + 4) + 2;
            default -> -1;
        };
        if (rep == 2) {
            end(SessionOutcome.REFUSED, reasonFromGateway("SOCKS5 reply 0x02 (not allowed by ruleset)"));
            return false;
        }
        if (rep != 0 || length < 0) {
            end(SessionOutcome.ERROR, "SOCKS5 reply 0x0" + Integer.toHexString(rep));
            return false;
        }
        if (pending.readableBytes() < length) {
            return false;
        }
        pending.skipBytes(length);
        sendHello();
        return true;
    }

    private boolean serverAnswered() {
        if (!pending.isReadable()) {
            return false;
        }
        if (SrpLogin.partOfDisabled(pending)) {
            return false;
        }
        if (SrpLogin.disabled(pending)) {
            end(SessionOutcome.REFUSED, SrpLogin.DISABLED_REASON);
            return false;
        }
        pending.clear();
        step = Step.OPEN;
        if (timeout != null) {
            timeout.cancel(false);
        }
        listener.opened(this);
        if (holdOver) {
            end(SessionOutcome.COMPLETED, null);
        }
        return false;
    }

    private void sendHello() {
        channel.writeAndFlush(Unpooled.wrappedBuffer(plan.hello()));
        step = Step.AWAIT_SERVER;
    }

    private void write(String text) {
        channel.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            end(SessionOutcome.ERROR, cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        switch (step) {
            case OPEN -> {
                if (notes.wasCut(local())) {
                    end(SessionOutcome.CUT, null);
                } else {
                    end(SessionOutcome.ERROR, "closed by the other side before the hold ended");
                }
            }
            case AWAIT_SERVER -> {
                String reason = notes.refusalReason(local());
                if (reason != null) {
                    end(SessionOutcome.REFUSED, reason);
                } else if (notes.wasCut(local())) {
                    end(SessionOutcome.CUT, null);
                } else {
                    end(SessionOutcome.ERROR, "closed before the server answered");
                }
            }
            case DONE -> {
            }
            default -> end(SessionOutcome.ERROR, "closed during the proxy handshake");
        }
        releasePending();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releasePending();
    }

    private void releasePending() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    private String reasonFromGateway(String fallback) {
        String r = notes.refusalReason(local());
        return r == null ? fallback : r;
    }

    private InetSocketAddress local() {
        return local;
    }

    private void end(SessionOutcome outcome, String reason) {
        if (step == Step.DONE) {
            return;
        }
        step = Step.DONE;
        if (timeout != null) {
            timeout.cancel(false);
        }
        channel.close();
        listener.ended(this, outcome, reason);
    }

    private static int indexOf(ByteBuf buf, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.ISO_8859_1);
        int from = buf.readerIndex();
        int to = buf.writerIndex() - n.length;
        for (int i = from; i <= to; i++) {
            boolean same = true;
            for (int j = 0; j < n.length && same; j++) {
                same = buf.getByte(i + j) == n[j];
            }
            if (same) {
                return i - from;
            }
        }
        return -1;
    }
}
