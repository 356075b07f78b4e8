package org.opgate.classify;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.opgate.flow.Flow;
import org.opgate.flow.IpPrefix;
import org.opgate.source.SourceLocation;

/**
 * One endpoint rule of a traffic class. Every field that is given must match; a missing field
 * matches anything. {@code host} matches the requested host or the SNI; {@code sni} only the SNI;
 * {@code cidr} the destination address (an IP-literal host is a destination address, never a
 * name); {@code ports} the destination port.
 *
 * @param id           unique id across the rule set
 * @param trafficClass name of the class this rule puts a flow in
 * @param position     0-based place in first-match order across all classes
 * @param host         host pattern, or null
 * @param sni          SNI pattern, or null
 * @param cidr         destination block, or null
 * @param ports        destination ports, or null
 * @param location     where the rule was written
 */
public record EndpointRule(String id, String trafficClass, int position, HostPattern host, HostPattern sni,
                           IpPrefix cidr, PortSet ports, SourceLocation location) {

    public EndpointRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(trafficClass, "trafficClass");
        Objects.requireNonNull(location, "location");
        if (host == null && sni == null && cidr == null && ports == null) {
            throw new IllegalArgumentException("rule '" + id + "' has no match fields"
                    + " (expected: at least one of host, sni, cidr, ports)");
        }
    }

    /** Allocation-free: the index calls it on each candidate. */
    public boolean matches(Flow f) {
        if (host != null && !host.matches(f.host()) && !host.matches(f.sni())) {
            return false;
        }
        if (sni != null && !sni.matches(f.sni())) {
            return false;
        }
        if (cidr != null && !cidr.contains(f.ip())) {
            return false;
        }
        return ports == null || ports.contains(f.port());
    }

    /** True if the rule constrains the destination by name (host or SNI). */
    public boolean hasName() {
        return host != null || sni != null;
    }

    /** True if the rule has only {@code ports}: the coarse, over-blocking kind. */
    public boolean isPortOnly() {
        return !hasName() && cidr == null;
    }

    /** The rule's fields as YAML-like text, for listings: {@code host=*.x ports=3101}. */
    public String describe() {
        List<String> parts = new ArrayList<>(4);
        if (host != null) {
            parts.add("host=" + host);
        }
        if (sni != null) {
            parts.add("sni=" + sni);
        }
        if (cidr != null) {
            parts.add("cidr=" + cidr);
        }
        if (ports != null) {
            parts.add("ports=" + ports);
        }
        return String.join(" ", parts);
    }
}
