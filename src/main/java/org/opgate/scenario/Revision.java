package org.opgate.scenario;

import org.opgate.config.OpgateConfig;

/**
 * One event of a scenario's timeline and the config it puts in force at its instant.
 *
 * @param event  the event
 * @param config the config from the event on (loaded and validated), or null if the event
 *               changes nothing in the gateway (a deadline the policy in force already dates)
 */
public record Revision(ScenarioEvent event, OpgateConfig config) {
}
