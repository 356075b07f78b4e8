package org.opgate.config;

import org.opgate.flow.ListenerKind;
import org.opgate.source.SourceLocation;

/**
 * One gateway listener as configured.
 *
 * @param name         unique name, used in metrics and logs
 * @param kind         protocol spoken to clients
 * @param bind         listening address (loopback unless the config opts out)
 * @param operator     operator id every flow of this listener belongs to, or null to find the
 *                     operator by the client's address pool
 * @param upstreamPort for {@code sni} listeners: the destination port of every flow
 * @param location     where it was declared
 */
public record ListenerSpec(String name, ListenerKind kind, BindAddress bind, String operator, int upstreamPort,
                           SourceLocation location) {
}
