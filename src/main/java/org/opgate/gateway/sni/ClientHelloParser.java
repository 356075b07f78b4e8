package org.opgate.gateway.sni;

import io.netty.buffer.ByteBuf;

/** Interim: replaced by the full parser on the sni branch. */
public final class ClientHelloParser {

    private ClientHelloParser() {
    }

    public static ClientHello parse(ByteBuf in, int maxBytes) {
        if (in.readableBytes() == 0) {
            return ClientHello.needMore();
        }
        if (in.getByte(in.readerIndex()) != 0x16) {
            return ClientHello.failed(ClientHello.Status.NOT_TLS, "not a TLS handshake record");
        }
        return ClientHello.needMore();
    }
}
