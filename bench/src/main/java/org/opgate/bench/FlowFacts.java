package org.opgate.bench;

import org.opgate.flow.Flow;
import org.opgate.flow.IpAddress;

/**
 * What the gateway knows about a connection before it builds its {@link Flow}: the host as the
 * client wrote it (a name or an address literal), the SNI, the resolved address and the port.
 *
 * @param host     name or address literal, or null (SNI only)
 * @param sni      server name, or null
 * @param resolved address the resolver gave for the name, or null for a literal
 * @param port     destination port
 */
record FlowFacts(String host, String sni, IpAddress resolved, int port) {

    /** The facts a benchmark flow was built from. */
    static FlowFacts of(Flow f) {
        boolean literal = f.host() == null && f.sni() == null;
        return new FlowFacts(literal ? f.ip().toString() : f.host(), f.sni(), literal ? null : f.ip(), f.port());
    }

    static FlowFacts[] of(Flow[] flows) {
        FlowFacts[] out = new FlowFacts[flows.length];
        for (int i = 0; i < flows.length; i++) {
            out[i] = of(flows[i]);
        }
        return out;
    }

    /** Builds the flow as the gateway does: normalised, with its name keys. */
    Flow build() {
        return Flow.builder().host(host).sni(sni).ip(resolved).port(port).build();
    }
}
