package org.opgate.gateway;

import java.net.InetSocketAddress;
import org.opgate.config.ListenerSpec;

/**
 * A listener as it runs: its spec and the address it actually bound (the port is the OS's
 * choice when the config says 0).
 */
public record BoundListener(ListenerSpec spec, InetSocketAddress address) {

    /** {@code listening http 127.0.0.1:3128 operator=mobilink} (or {@code operator=by-pool}). */
    public String describe() {
        return "listening " + spec.kind().configName() + " " + address.getAddress().getHostAddress() + ":"
                + address.getPort() + " operator=" + (spec.operator() == null ? "by-pool" : spec.operator());
    }
}
