package org.opgate.flow;

import java.util.Locale;

/** How a client reached the gateway, and so which protocol a refusal must speak. */
public enum ListenerKind {
    /** HTTP/1.1 CONNECT tunnels and absolute-URI forward requests; refusal is HTTP 403. */
    HTTP,
    /** RFC 1928 SOCKS5 CONNECT; refusal is reply 0x02 "connection not allowed by ruleset". */
    SOCKS5,
    /** Plain TCP whose first bytes are a TLS ClientHello; refusal is a TCP reset. */
    SNI;

    /** The name used in YAML and on the command line. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
