package org.opgate.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * How a tunnel is asked of the proxy. Each handshake is a small state machine over the bytes the
 * proxy sends back; the SNI listener and "direct" (no proxy) need none: the ClientHello itself is
 * the request, and a refusal is a close or reset before any byte comes back.
 */
enum Protocol {
    /** No proxy: straight to the upstream, the baseline. */
    DIRECT,
    /** A TLS-peeking listener: the ClientHello's SNI names the destination. */
    SNI,
    /** HTTP {@code CONNECT host:port}. */
    CONNECT,
    /** SOCKS5, no authentication, CONNECT. */
    SOCKS5;

    /** What a handshake step found in the bytes read so far. */
    enum Step { NEED_MORE, SENT_NEXT, ESTABLISHED, REFUSED, BROKEN }

    /** One tunnel's handshake with the proxy. Not thread-safe: one per connection. */
    static final class Handshake {
        private final Protocol protocol;
        private final String host;
        private final int port;
        private int stage;
        /** Why the last step was BROKEN or REFUSED. */
        String detail;

        Handshake(Protocol protocol, String host, int port) {
            this.protocol = protocol;
            this.host = host;
            this.port = port;
        }

        boolean needed() {
            return protocol == CONNECT || protocol == SOCKS5;
        }

        /** The first request, or null when none is needed. */
        ByteBuf start(ByteBufAllocator alloc) {
            if (protocol == CONNECT) {
                String authority = host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
                String head = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n";
                return alloc.buffer(head.length()).writeBytes(head.getBytes(StandardCharsets.US_ASCII));
            }
            if (protocol == SOCKS5) {
                return alloc.buffer(3).writeByte(5).writeByte(1).writeByte(0);
            }
            return null;
        }

        /**
         * Consumes handshake bytes from {@code in}; leaves any bytes after the handshake. On
         * SENT_NEXT, {@code next[0]} holds the next request to write.
         */
        Step read(ByteBuf in, ByteBufAllocator alloc, ByteBuf[] next) {
            return protocol == CONNECT ? readConnect(in) : readSocks(in, alloc, next);
        }

        private Step readConnect(ByteBuf in) {
            int end = endOfHead(in);
            if (end < 0) {
                if (in.readableBytes() > 16384) {
                    detail = "CONNECT reply head over 16 KiB";
                    return Step.BROKEN;
                }
                return Step.NEED_MORE;
            }
            String status = in.toString(in.readerIndex(), Math.min(end - in.readerIndex(), 64), StandardCharsets.US_ASCII);
            in.readerIndex(end);
            // "HTTP/1.1 200 Connection established"
            if (status.length() >= 12 && status.startsWith("HTTP/1.") && status.charAt(9) == '2') {
                return Step.ESTABLISHED;
            }
            detail = status.lines().findFirst().orElse(status);
            return status.startsWith("HTTP/1.") ? Step.REFUSED : Step.BROKEN;
        }

        private static int endOfHead(ByteBuf in) {
            for (int i = in.readerIndex(), n = in.writerIndex() - 3; i < n; i++) {
                if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n' && in.getByte(i + 2) == '\r' && in.getByte(i + 3) == '\n') {
                    return i + 4;
                }
            }
            return -1;
        }

        private Step readSocks(ByteBuf in, ByteBufAllocator alloc, ByteBuf[] next) {
            if (stage == 0) {
                if (in.readableBytes() < 2) {
                    return Step.NEED_MORE;
                }
                int version = in.readUnsignedByte();
                int method = in.readUnsignedByte();
                if (version != 5 || method != 0) {
                    detail = "SOCKS5 method reply " + version + "/" + method;
                    return Step.BROKEN;
                }
                stage = 1;
                next[0] = request(alloc);
                return Step.SENT_NEXT;
            }
            if (in.readableBytes() < 5) {
                return Step.NEED_MORE;
            }
            int at = in.readerIndex();
            int atyp = in.getUnsignedByte(at + 3);
            int addressLength = switch (atyp) {
                case 1 -> 4;
                case 4 -> 16;
                case 3 -> 1 + in.getUnsignedByte(at + 4);
                default -> -1;
            };
            int reply = in.getUnsignedByte(at + 1);
            if (addressLength < 0) {
                detail = "SOCKS5 reply " + reply + " with address type " + atyp;
                return reply != 0 ? Step.REFUSED : Step.BROKEN;
            }
            if (in.readableBytes() < 4 + addressLength + 2) {
                return Step.NEED_MORE;
            }
            in.skipBytes(4 + addressLength + 2);
            if (reply != 0) {
                detail = "SOCKS5 reply " + reply;
                return Step.REFUSED;
            }
            return Step.ESTABLISHED;
        }

        private ByteBuf request(ByteBufAllocator alloc) {
            ByteBuf b = alloc.buffer(8 + host.length());
            b.writeByte(5).writeByte(1).writeByte(0);
            byte[] ip = Targets.ipv4(host);
            if (ip != null) {
                b.writeByte(1).writeBytes(ip);
            } else {
                byte[] name = host.getBytes(StandardCharsets.US_ASCII);
                b.writeByte(3).writeByte(name.length).writeBytes(name);
            }
            return b.writeShort(port);
        }
    }
}
