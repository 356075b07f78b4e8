package org.opgate.config;

import java.util.List;
import org.opgate.flow.IpPrefix;
import org.opgate.source.SourceLocation;

/**
 * A mobile operator whose subscribers pass the gateway.
 *
 * @param id       short id used in policies, metrics and logs ({@code mobilink})
 * @param name     display name ({@code Mobilink})
 * @param pools    client address pools that identify this operator's subscribers
 * @param location where it was declared
 */
public record Operator(String id, String name, List<IpPrefix> pools, SourceLocation location) {

    public Operator {
        pools = List.copyOf(pools);
    }
}
