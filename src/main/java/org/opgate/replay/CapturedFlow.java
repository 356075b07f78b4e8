package org.opgate.replay;

import java.time.Instant;
import org.opgate.flow.IpAddress;

/**
 * What a capture shows of one TCP flow before any policy: its endpoints, when it started, and
 * the names its client's first bytes and the DNS answers before it give.
 *
 * @param client      the client's address (the SYN sender, else the first packet's sender)
 * @param clientPort  the client's port
 * @param server      the server's address (for a tunnel: the proxy's)
 * @param serverPort  the server's port
 * @param firstPacket number of the flow's first packet in the capture
 * @param first       time of the flow's first packet, or null when the capture gives none
 * @param protocol    what the client sent first, directly or through its tunnel: {@code tls}, {@code http},
 *                    {@code other}, or {@code none} (no client bytes in sequence from the start; for a tunnel,
 *                    none through it)
 * @param tunnel      {@code connect} (HTTP CONNECT) or {@code socks5} when the flow opened a tunnel
 *                    through a proxy, or null
 * @param host        the requested host: the tunnel's target (a name, or an address literal), else the HTTP
 *                    Host header (without port), or null
 * @param tunnelPort  the tunnel target's port, or 0 when the flow opened no tunnel
 * @param user        the user name given to the proxy (SOCKS5 RFC 1929, or CONNECT's
 *                    {@code Proxy-Authorization: Basic}), or null
 * @param sni         server name from the client's TLS ClientHello (sent directly or through the tunnel), or null
 * @param dns         the latest name a DNS answer before the flow gave the server's address, or null
 * @param note        why the client's bytes gave no name although they looked like TLS, HTTP or a proxy
 *                    handshake, or null
 */
public record CapturedFlow(IpAddress client, int clientPort, IpAddress server, int serverPort, int firstPacket,
                           Instant first, String protocol, String tunnel, String host, int tunnelPort, String user,
                           String sni, String dns, String note) {

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

    /** The tunnel's kind, else the protocol: {@code connect}, {@code socks5}, {@code tls}, {@code http}, … */
    public String kind() {
        return tunnel != null ? tunnel : protocol;
    }

    /** The tunnel's target as {@code host:port} ({@code [v6]:port}), or null when the flow opened no tunnel. */
    public String destination() {
        if (tunnelPort == 0) {
            return null;
        }
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + tunnelPort;
    }
}
