package org.opgate.ruletest;

import java.util.Objects;
import org.opgate.flow.Flow;

/**
 * A flow that {@code diff} evaluates under both configs, and where it came from.
 *
 * @param flow   the facts: host, SNI, address, port; an operator limits the flow to that
 *               operator, a subscriber applies exemptions; the flow's instant is ignored
 * @param source where the flow came from: {@code flows.csv:3}, or the rule and edge it was
 *               generated from ({@code bes-srp-host: port 3102, above 3101})
 */
public record DiffFlow(Flow flow, String source) {

    public DiffFlow {
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(source, "source");
    }

    /** {@code gb.srp.blackberry.com}, {@code sni goods.bbm.blackberry.com}, {@code 68.171.224.0}, or both name and address. */
    public String target() {
        Flow f = flow;
        StringBuilder sb = new StringBuilder();
        if (f.host() != null) {
            sb.append(f.host());
        }
        if (f.sni() != null && !f.sni().equals(f.host())) {
            sb.append(sb.length() == 0 ? "" : " ").append("sni ").append(f.sni());
        }
        if (f.ip() != null) {
            sb.append(sb.length() == 0 ? "" : " ip ").append(f.ip());
        }
        return sb.length() == 0 ? "(any address)" : sb.toString();
    }
}
