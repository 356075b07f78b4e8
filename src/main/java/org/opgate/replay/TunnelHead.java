package org.opgate.replay;

/**
 * The client's side of a proxy handshake that opened a tunnel: what it asked for, and where the
 * bytes it sends through the tunnel begin.
 *
 * @param kind   {@link #CONNECT} or {@link #SOCKS5}
 * @param host   the requested host: a name, or an address literal (IPv6 without brackets)
 * @param port   the requested port, 1..65535
 * @param user   the user name the client gave (RFC 1929, or {@code Proxy-Authorization: Basic}), or null
 * @param length bytes of the handshake: the tunnel's bytes start at this offset of the client's stream
 */
record TunnelHead(String kind, String host, int port, String user, int length) {

    static final String CONNECT = "connect";
    static final String SOCKS5 = "socks5";
}
