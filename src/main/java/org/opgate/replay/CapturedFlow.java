package org.opgate.replay;

import java.time.Instant;
import org.opgate.flow.IpAddress;

/**
 * What a capture shows of one TCP flow before any policy: its endpoints, when it started, and
 * the names its client's first bytes and the DNS answers before it give.
 *
 * @param client      the client's address (the SYN sender, else the first packet's sender)
 * @param clientPort  the client's port
 * @param server      the server's address
 * @param serverPort  the server's port
 * @param firstPacket number of the flow's first packet in the capture
 * @param first       time of the flow's first packet, or null when the capture gives none
 * @param sni         server name from the client's TLS ClientHello, or null
 * @param host        HTTP request host: the CONNECT target's host, else the Host header (without port), or null
 * @param connectPort the CONNECT target's port, or 0 when the request was not CONNECT
 * @param dns         the latest name a DNS answer before the flow gave the server's address, or null
 * @param protocol    what the client sent first: {@code tls}, {@code http}, {@code other}, or
 *                    {@code none} (no client bytes in sequence from the start)
 * @param note        why the client's bytes gave no name although they looked like TLS or HTTP, or null
 */
public record CapturedFlow(IpAddress client, int clientPort, IpAddress server, int serverPort, int firstPacket,
                           Instant first, String sni, String host, int connectPort, String dns, String protocol,
                           String note) {

    /** {@code 192.0.2.1:443}, {@code [2001:db8::1]:443}. */
    public static String endpoint(IpAddress ip, int port) {
        return (ip.isV4() ? ip.toString() : "[" + ip + "]") + ":" + port;
    }

    public String clientEndpoint() {
        return endpoint(client, clientPort);
    }

    public String serverEndpoint() {
        return endpoint(server, serverPort);
    }
}
