package org.opgate.gateway;

/**
 * Handler names, and the order of every pipeline, drawn once:
 *
 * <pre>
 * http:     limit → handshake-timeout → http.codec → http.proxy
 *             CONNECT accepted: → [throttle?] idle → idle-close → peek → relay
 *             forward request:  http.codec → http.proxy (per request: decide, forward, answer)
 * socks5:   limit → handshake-timeout → socks.encoder → socks.decoder → socks.handler
 *             CONNECT accepted: → [throttle?] idle → idle-close → peek → relay
 * sni:      limit → handshake-timeout → sni.hello
 *             SNI accepted: → [throttle?] idle → idle-close → relay
 * upstream: relay
 * </pre>
 *
 * Handshake handlers remove themselves (and the timeout) when they hand a connection over; the
 * peek removes itself once it has seen the first client bytes.
 */
public final class GatewayPipeline {

    public static final String LIMIT = "limit";
    public static final String HANDSHAKE_TIMEOUT = "handshake-timeout";
    public static final String HTTP_CODEC = "http.codec";
    public static final String HTTP_PROXY = "http.proxy";
    public static final String SOCKS_ENCODER = "socks.encoder";
    public static final String SOCKS_DECODER = "socks.decoder";
    public static final String SOCKS_HANDLER = "socks.handler";
    public static final String SNI_HELLO = "sni.hello";
    public static final String THROTTLE = "throttle";
    public static final String IDLE = "idle";
    public static final String IDLE_CLOSE = "idle-close";
    public static final String PEEK = "peek";
    public static final String RELAY = "relay";

    private GatewayPipeline() {
    }
}
