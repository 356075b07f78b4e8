package org.opgate.sim.simnet;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SniCompletionEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Decides, from the first decrypted bytes of a TLS connection, what answers it: a request line
 * that starts with an HTTP method and a space gets the service page (HTTP/1.x, keep-alive), any
 * other bytes the echo. Remembers the SNI from the {@link SniCompletionEvent} that comes before
 * any data, so the page can name the service the client asked for. Consumes nothing: once it has
 * decided it puts the chosen handlers in the pipeline and leaves, and {@link ByteToMessageDecoder}
 * hands the bytes it held to them. One per connection.
 */
final class ProtocolSniffer extends ByteToMessageDecoder {

    /** What the first bytes say. */
    enum Verdict {
        /** An HTTP/1.x request line begins. */
        HTTP,
        /** Anything else: echo it. */
        ECHO,
        /** Too few bytes to tell yet (a prefix of "OPTIONS "). */
        UNDECIDED
    }

    private static final byte[][] METHODS = methods("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH",
            "TRACE", "CONNECT");

    private final ServiceDirectory services;
    private String sni;

    ProtocolSniffer(ServiceDirectory services) {
        this.services = services;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SniCompletionEvent e && e.isSuccess()) {
            sni = e.hostname();
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        Verdict v = sniff(in);
        if (v == Verdict.UNDECIDED) {
            return;
        }
        if (v == Verdict.HTTP) {
            SimnetPipelines.addHttp(ctx.pipeline(), services, sni);
        } else {
            SimnetPipelines.addEcho(ctx.pipeline());
        }
        ctx.pipeline().remove(this);
    }

    /** Looks at the readable bytes of {@code in} without moving its reader index. */
    static Verdict sniff(ByteBuf in) {
        int readable = in.readableBytes();
        if (readable == 0) {
            return Verdict.UNDECIDED;
        }
        int start = in.readerIndex();
        boolean prefixOfOne = false;
        for (byte[] m : METHODS) {
            int n = Math.min(readable, m.length);
            boolean same = true;
            for (int i = 0; i < n && same; i++) {
                same = in.getByte(start + i) == m[i];
            }
            if (same && n == m.length) {
                return Verdict.HTTP;
            }
            prefixOfOne |= same;
        }
        return prefixOfOne ? Verdict.UNDECIDED : Verdict.ECHO;
    }

    private static byte[][] methods(String... names) {
        byte[][] out = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            out[i] = (names[i] + " ").getBytes(StandardCharsets.US_ASCII);
        }
        return out;
    }
}
