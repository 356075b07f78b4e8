package org.opgate.policy;

import java.util.List;
import java.util.Set;
import org.opgate.flow.Flow;
import org.opgate.flow.IpPrefix;

/**
 * Subscribers a policy does not apply to: by subscriber id (MSISDN) or by client address pool.
 *
 * @param subscribers exempt subscriber ids
 * @param pools       exempt client address pools
 */
public record Exemptions(Set<String> subscribers, List<IpPrefix> pools) {

    public static final Exemptions NONE = new Exemptions(Set.of(), List.of());

    public Exemptions {
        subscribers = Set.copyOf(subscribers);
        pools = List.copyOf(pools);
    }

    /** Why {@code flow} is exempt, or null if it is not. */
    public String reasonFor(Flow flow) {
        if (flow.subscriber() != null && subscribers.contains(flow.subscriber())) {
            return "subscriber " + flow.subscriber() + " is exempt";
        }
        if (flow.client() != null) {
            for (IpPrefix p : pools) {
                if (p.contains(flow.client())) {
                    return "client " + flow.client() + " is in exempt pool " + p;
                }
            }
        }
        return null;
    }

    public boolean isEmpty() {
        return subscribers.isEmpty() && pools.isEmpty();
    }
}
