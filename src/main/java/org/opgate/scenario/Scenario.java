package org.opgate.scenario;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.opgate.config.OpgateConfig;

/**
 * A historical (or teaching) scenario: the config the gateway starts with, the timeline of
 * events with the config revisions they apply, the populations, and the clock. Every config is
 * loaded and validated when the scenario is read, so a run never meets a broken revision.
 *
 * @param id          file name without .yaml
 * @param title       one-line title
 * @param description what the scenario shows
 * @param zone        the zone of the order's dates (for reports)
 * @param start       first simulated instant
 * @param end         last simulated instant
 * @param rate        default simulated seconds per real second
 * @param interval    length of a report row
 * @param initial     the config in force at {@code start}
 * @param revisions   the timeline, in time order
 * @param populations the simulated subscribers
 * @param sources     where the scenario's facts come from
 */
public record Scenario(String id, String title, String description, ZoneId zone, Instant start, Instant end, double rate,
                       Duration interval, OpgateConfig initial, List<Revision> revisions,
                       List<PopulationSpec> populations, List<String> sources) {

    public Scenario {
        revisions = List.copyOf(revisions);
        populations = List.copyOf(populations);
        sources = List.copyOf(sources);
    }

    public List<ScenarioEvent> events() {
        return revisions.stream().map(Revision::event).toList();
    }
}
