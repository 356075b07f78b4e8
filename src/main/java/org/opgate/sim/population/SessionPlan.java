package org.opgate.sim.population;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.opgate.flow.ListenerKind;
import org.opgate.scenario.Endpoint;

/**
 * One session to make: who makes it, through which listener, to where, for how long.
 *
 * @param trafficClass what the traffic really is (the report's class)
 * @param operator     the subscriber's operator id
 * @param source       the subscriber's source address (inside its operator's pool)
 * @param username     SOCKS5 user name (the MSISDN), or null for no authentication
 * @param listener     the listener's kind
 * @param proxy        the listener's address
 * @param endpoint     destination and SNI
 * @param hold         simulated time the connection stays open once the server answers
 * @param hello        the ClientHello bytes to send
 */
public record SessionPlan(String trafficClass, String operator, InetAddress source, String username,
                          ListenerKind listener, InetSocketAddress proxy, Endpoint endpoint, Duration hold, byte[] hello) {
}
