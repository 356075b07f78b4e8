package org.opgate.interop;

import java.util.Objects;
import org.opgate.classify.HostPattern;
import org.opgate.classify.PortSet;
import org.opgate.flow.IpPrefix;
import org.opgate.source.SourceLocation;

/**
 * One rule carried over from a foreign rule list, already validated by the same parsers the
 * config loader uses ({@link HostPattern#parse}, {@link IpPrefix#parse}, {@link PortSet}).
 *
 * @param className the opgate class name it goes into
 * @param host      host pattern, or null
 * @param cidr      destination block, or null
 * @param ports     destination ports, or null
 * @param source    the line it came from
 */
public record ImportedRule(String className, HostPattern host, IpPrefix cidr, PortSet ports, SourceLocation source) {

    public ImportedRule {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(source, "source");
        if (host == null && cidr == null && ports == null) {
            throw new IllegalArgumentException("imported rule at " + source.fileAndLine()
                    + " has no match fields (expected: at least one of host, cidr, ports)");
        }
    }
}
