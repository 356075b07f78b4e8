package org.opgate.gateway.sni;

import java.util.List;

/**
 * What {@link ClientHelloParser} found in the first bytes of a connection.
 *
 * @param status    how far parsing got
 * @param sni       the server name (normalised host name), or null if none
 * @param alpn      offered ALPN protocols, in order (empty if none)
 * @param ech       true if an encrypted_client_hello extension (0xfe0d) is present
 * @param length    bytes the ClientHello occupies including record headers, when COMPLETE
 * @param error     what is wrong, for NOT_TLS, MALFORMED and TOO_LARGE; null otherwise
 */
public record ClientHello(Status status, String sni, List<String> alpn, boolean ech, int length, String error) {

    /** Parsing outcome. */
    public enum Status {
        /** The bytes so far are a valid prefix of a ClientHello; read more. */
        NEED_MORE,
        /** A whole ClientHello was read. */
        COMPLETE,
        /** The first bytes are not a TLS handshake record. */
        NOT_TLS,
        /** A TLS handshake record, but not a well-formed ClientHello. */
        MALFORMED,
        /** The ClientHello is larger than the configured limit. */
        TOO_LARGE
    }

    public ClientHello {
        alpn = List.copyOf(alpn);
    }

    public static ClientHello needMore() {
        return new ClientHello(Status.NEED_MORE, null, List.of(), false, 0, null);
    }

    public static ClientHello failed(Status status, String error) {
        return new ClientHello(status, null, List.of(), false, 0, error);
    }
}
