package org.opgate.interop;

import java.util.Locale;

/** The rule-list formats {@code opgate import} reads. */
public enum ImportFormat {
    /** nDPI protocol file: {@code host:"name"@Proto}, {@code ip:CIDR[:port]@Proto}, {@code tcp:ports@Proto}. */
    NDPI,
    /** Squid ACL file: {@code dstdomain} and {@code dst} entries, one per line, or {@code acl} lines. */
    SQUID,
    /** HAProxy map file: {@code key value} per line, the key a domain (map_dom/map_end) or a CIDR (map_ip). */
    HAPROXY_MAP;

    /** The name on the command line: {@code ndpi}, {@code squid}, {@code haproxy-map}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
