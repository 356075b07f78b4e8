package org.opgate.gateway.listener;

import io.netty.channel.Channel;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.opgate.flow.IpAddress;

/** The client address of a connection, as the classifier's {@link IpAddress}. */
public final class ClientAddress {

    private ClientAddress() {
    }

    /** From the address bytes, not through their text form: this runs for every connection. */
    public static IpAddress of(Channel ch) {
        InetAddress a = ((InetSocketAddress) ch.remoteAddress()).getAddress();
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return IpAddress.ofV4((b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | b[3] & 0xff);
        }
        return IpAddress.ofV6(bits(b, 0), bits(b, 8));
    }

    private static long bits(byte[] b, int from) {
        long v = 0;
        for (int i = from; i < from + 8; i++) {
            v = v << 8 | b[i] & 0xff;
        }
        return v;
    }
}
