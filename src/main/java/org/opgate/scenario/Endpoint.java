package org.opgate.scenario;

/**
 * Where a population's sessions go, as its clients name it.
 *
 * @param host the host name the client asks the proxy for (CONNECT target, SOCKS5 domain)
 * @param port the destination port (an {@code sni} listener's own upstream port applies there)
 * @param sni  the server name in the client's TLS ClientHello, or null to send none (BES 4/5)
 */
public record Endpoint(String host, int port, String sni) {

    @Override
    public String toString() {
        return host + ":" + port + (sni == null ? " (no SNI)" : sni.equals(host) ? "" : " (SNI " + sni + ")");
    }
}
