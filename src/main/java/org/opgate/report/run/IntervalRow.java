package org.opgate.report.run;

import java.time.Instant;

/**
 * Sessions of one simulated interval, traffic class and operator, by outcome.
 *
 * @param start        first instant of the interval (gateway clock)
 * @param end          instant after its last (exclusive)
 * @param trafficClass the class the population's sessions belong to (BES, BBM, BIS, OTHER …)
 * @param operator     operator id
 * @param completed    sessions that got their tunnel and finished their exchange
 * @param refused      sessions the gateway refused (policy or limit)
 * @param cut          sessions whose open tunnel the gateway cut
 * @param errors       sessions that failed for any other reason (connect, protocol, timeout)
 */
public record IntervalRow(Instant start, Instant end, String trafficClass, String operator,
                          long completed, long refused, long cut, long errors) {
}
