package org.opgate.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.opgate.source.SourceLocation;

/**
 * One group of simulated subscribers of a scenario: what their traffic is, how much of it there
 * is, which operators and listeners it uses.
 *
 * <p>Two kinds. {@code persistent}: every subscriber is a server holding one long connection
 * (a BES server's SRP link to the relay), open for about {@code hold}, then away for about
 * {@code gap}, back after failures per {@code reconnect}. Otherwise: sessions arrive at
 * {@code sessionsPerDay} (all subscribers together, in simulated time) from random subscribers
 * and stay open for about {@code hold}.
 *
 * @param trafficClass   the class the traffic really is (what the report counts it as)
 * @param subscribers    how many subscribers
 * @param operators      operator id → share of the subscribers (the shares add up to 1)
 * @param via            names of the listeners the sessions use, picked at random per session
 * @param endpoint       where the sessions go
 * @param persistent     true for long-held connections that reconnect
 * @param sessionsPerDay sessions a simulated day for the whole population (not persistent)
 * @param hold           mean time a connection stays open (exponentially distributed)
 * @param gap            persistent only: mean time between a connection's end and the next
 * @param reconnect      persistent only: back-off after failures, or null
 * @param moveTo         subscribers who move elsewhere after failures, or null
 * @param location       where the population was written
 */
public record PopulationSpec(String trafficClass, int subscribers, Map<String, Double> operators, List<String> via,
                             Endpoint endpoint, boolean persistent, double sessionsPerDay, Duration hold, Duration gap,
                             Reconnect reconnect, MoveTo moveTo, SourceLocation location) {

    public PopulationSpec {
        operators = Map.copyOf(operators);
        via = List.copyOf(via);
    }

    /** The same population with {@code n} subscribers; a session rate scales with them. */
    public PopulationSpec withSubscribers(int n) {
        double perDay = subscribers == 0 ? sessionsPerDay : sessionsPerDay * n / subscribers;
        return new PopulationSpec(trafficClass, n, operators, via, endpoint, persistent, perDay, hold, gap, reconnect,
                moveTo, location);
    }
}
