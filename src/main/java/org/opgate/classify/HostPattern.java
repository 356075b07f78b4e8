package org.opgate.classify;

import org.opgate.flow.HostName;
import org.opgate.flow.IpAddress;

/**
 * A {@code host} or {@code sni} value of an endpoint rule: an exact name, or {@code *.suffix}
 * which covers the suffix itself and every name below it (unlike RFC 6125's one-label wildcard:
 * an operator blocking {@code *.srp.blackberry.com} means the whole subtree).
 *
 * @param name     the normalised name, without the {@code *.}
 * @param wildcard true for {@code *.name}
 */
public record HostPattern(String name, boolean wildcard) {

    /**
     * Parses and normalises a pattern.
     *
     * @throws IllegalArgumentException with what is wrong and what was expected
     */
    public static HostPattern parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty pattern (expected: a name or *.suffix)");
        }
        boolean wildcard = text.startsWith("*.");
        String body = wildcard ? text.substring(2) : text;
        if (body.indexOf('*') >= 0 || text.equals("*")) {
            throw new IllegalArgumentException("'" + text + "': '*' is only allowed as the whole first label"
                    + " (expected: a name, or *.suffix; leave the field out to match any name)");
        }
        if (IpAddress.isLiteral(body) || IpAddress.isLiteral(body.endsWith(".") ? body.substring(0, body.length() - 1) : body)) {
            throw new IllegalArgumentException("'" + text + "' is an IP address"
                    + " (expected: a host name; use cidr for addresses)");
        }
        return new HostPattern(HostName.normalize(body), wildcard);
    }

    /** True if the normalised {@code host} matches; null never matches. */
    public boolean matches(String host) {
        if (host == null) {
            return false;
        }
        return wildcard ? HostName.isAtOrBelow(host, name) : host.equals(name);
    }

    /** True if every name this pattern of {@code other} matches is matched by this one. */
    public boolean contains(HostPattern other) {
        return wildcard ? HostName.isAtOrBelow(other.name, name) : !other.wildcard && other.name.equals(name);
    }

    /** Suffix patterns share names only when one contains the other. */
    public boolean intersects(HostPattern other) {
        return contains(other) || other.contains(this);
    }

    /** A name this pattern matches, for examples in reports. */
    public String example() {
        return name;
    }

    @Override
    public String toString() {
        return wildcard ? "*." + name : name;
    }
}
