package org.opgate.flow;

import java.time.Instant;

/**
 * The immutable facts about one connection known before any byte goes upstream.
 *
 * <p>Names are already normalised ({@link HostName#normalize}); a request that named an IP
 * literal has {@code host == null} and the literal in {@code ip}. Fields the caller does not know
 * are null ({@code port} is always known). Build one with {@link #builder()}, which normalises and
 * checks its inputs.
 *
 * @param host       requested host name (CONNECT target, SOCKS domain, HTTP Host), or null
 * @param sni        server name from the TLS ClientHello, or null if none was seen
 * @param ip         destination address (literal or resolved), or null if unknown
 * @param port       destination port, 1..65535
 * @param operator   operator id, or null if not (yet) known
 * @param subscriber subscriber id (MSISDN, or client address), or null
 * @param client     client source address, or null
 * @param listener   listener kind the flow arrived on, or null outside the gateway
 * @param at         instant on the gateway clock, or null outside the gateway
 * @param hostKey    {@code host} laid out for the classifier's index; always derived from {@code host}
 * @param sniKey     {@code sni} likewise (the same key when they are equal)
 */
public record Flow(String host, String sni, IpAddress ip, int port, String operator, String subscriber,
                   IpAddress client, ListenerKind listener, Instant at, NameKey hostKey, NameKey sniKey) {

    public Flow {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " (expected: 1..65535)");
        }
        // Keys given that do not belong to the names are replaced, so they can never disagree.
        hostKey = NameKey.of(host, hostKey);
        sniKey = sni != null && sni.equals(host) ? hostKey : NameKey.of(sni, sniKey);
    }

    /** A flow whose name keys are derived here, once. */
    public Flow(String host, String sni, IpAddress ip, int port, String operator, String subscriber,
                IpAddress client, ListenerKind listener, Instant at) {
        this(host, sni, ip, port, operator, subscriber, client, listener, at, null, null);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The destination as the client asked for it: the host name, else the address. */
    public String target() {
        return host != null ? host : ip != null ? ip.toString() : "?";
    }

    /** A copy without the SNI: the requested-host side of a flow, for domain-fronting checks. */
    public Flow withoutSni() {
        return new Flow(host, null, ip, port, operator, subscriber, client, listener, at, hostKey, null);
    }

    /** A copy that keeps only the SNI side as its name, for domain-fronting checks. */
    public Flow sniSide() {
        return new Flow(null, sni, ip, port, operator, subscriber, client, listener, at, null, sniKey);
    }

    public Flow at(Instant instant) {
        return new Flow(host, sni, ip, port, operator, subscriber, client, listener, instant, hostKey, sniKey);
    }

    /** The facts, without the derived keys. */
    @Override
    public String toString() {
        return "Flow[host=" + host + ", sni=" + sni + ", ip=" + ip + ", port=" + port + ", operator=" + operator
                + ", subscriber=" + subscriber + ", client=" + client + ", listener=" + listener + ", at=" + at + "]";
    }

    /** Collects raw inputs, normalises them, and rejects contradictions with a clear message. */
    public static final class Builder {
        private String host;
        private IpAddress hostLiteral;
        private String sni;
        private IpAddress ip;
        private int port;
        private String operator;
        private String subscriber;
        private IpAddress client;
        private ListenerKind listener;
        private Instant at;

        private Builder() {
        }

        /** A host name or an IP literal as requested by the client. */
        public Builder host(String raw) {
            if (raw == null) {
                host = null;
                hostLiteral = null;
                return this;
            }
            // "192.0.2.1." is still an address, not a name that happens to look like one.
            IpAddress literal = IpAddress.tryParse(raw.endsWith(".") ? raw.substring(0, raw.length() - 1) : raw);
            if (literal != null) {
                hostLiteral = literal;
                host = null;
            } else {
                host = HostName.normalize(raw);
                hostLiteral = null;
            }
            return this;
        }

        public Builder sni(String raw) {
            if (raw == null) {
                sni = null;
                return this;
            }
            if (IpAddress.isLiteral(raw.endsWith(".") ? raw.substring(0, raw.length() - 1) : raw)) {
                throw new IllegalArgumentException("SNI '" + raw + "' is an IP address"
                        + " (expected: a host name; RFC 6066 forbids literals in SNI)");
            }
            sni = HostName.normalize(raw);
            return this;
        }

        public Builder ip(IpAddress address) {
            ip = address;
            return this;
        }

        public Builder ip(String raw) {
            ip = raw == null ? null : IpAddress.parse(raw);
            return this;
        }

        public Builder port(int p) {
            port = p;
            return this;
        }

        public Builder operator(String id) {
            operator = id;
            return this;
        }

        public Builder subscriber(String id) {
            subscriber = id;
            return this;
        }

        public Builder client(IpAddress address) {
            client = address;
            return this;
        }

        public Builder listener(ListenerKind kind) {
            listener = kind;
            return this;
        }

        public Builder at(Instant instant) {
            at = instant;
            return this;
        }

        public Flow build() {
            IpAddress dest = ip;
            if (hostLiteral != null) {
                if (dest != null && !dest.equals(hostLiteral)) {
                    throw new IllegalArgumentException("host " + hostLiteral + " is an address that differs"
                            + " from ip " + dest + " (expected: the same address, or only one of them)");
                }
                dest = hostLiteral;
            }
            return new Flow(host, sni, dest, port, operator, subscriber, client, listener, at);
        }
    }
}
