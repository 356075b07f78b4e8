package org.opgate.scenario;

import java.util.List;

/**
 * Clients that give up on their service after repeated refusals and move their traffic to
 * another endpoint, like BES users who take to a VPN after a ban.
 *
 * @param share        share of the population's subscribers who move (0..1)
 * @param afterFailures refused or cut connections in a row before they move
 * @param trafficClass class the moved traffic really is (OTHER for a VPN)
 * @param endpoint     where the moved traffic goes
 * @param via          listeners the moved traffic uses
 */
public record MoveTo(double share, int afterFailures, String trafficClass, Endpoint endpoint, List<String> via) {

    public MoveTo {
        via = List.copyOf(via);
    }
}
