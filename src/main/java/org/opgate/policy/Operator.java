package org.opgate.policy;

import java.util.List;
import org.opgate.flow.IpPrefix;
import org.opgate.source.SourceLocation;

/**
 * A mobile operator whose subscribers pass the gateway.
 *
 * @param id             short id used in policies, metrics and logs ({@code mobilink})
 * @param name           display name ({@code Mobilink})
 * @param pools          client address pools that identify this operator's subscribers
 * @param msisdnPrefixes international-format number prefixes ({@code 92300}) that identify this
 *                       operator's subscribers by their authenticated username
 * @param location       where it was declared
 */
public record Operator(String id, String name, List<IpPrefix> pools, List<String> msisdnPrefixes,
                       SourceLocation location) {

    public Operator {
        pools = List.copyOf(pools);
        msisdnPrefixes = List.copyOf(msisdnPrefixes);
    }
}
