package org.opgate.config;

import java.util.List;

/**
 * The simulated network: where upstream connections go instead of the internet.
 *
 * @param enabled          true: names and addresses resolve through the routes only
 * @param routes           first match wins, by name (requested host or SNI) or by address
 * @param realDns          opt-in: names no route knows resolve with real DNS
 * @param allowNonLoopback opt-in: upstream connections may leave loopback
 */
public record SimnetSettings(boolean enabled, List<SimnetRoute> routes, boolean realDns, boolean allowNonLoopback) {

    public static final SimnetSettings NONE = new SimnetSettings(false, List.of(), false, false);

    public SimnetSettings {
        routes = List.copyOf(routes);
    }
}
