package org.opgate.report.run;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.opgate.scenario.ScenarioEvent;

/**
 * Everything a finished (or stopped) scenario run leaves for its report.
 *
 * @param scenarioId  file name of the scenario without .yaml, used for out/&lt;scenarioId&gt;/
 * @param title       one-line title
 * @param description a paragraph on what the scenario shows
 * @param zone        zone the dates are shown in (the order's own)
 * @param start       first simulated instant
 * @param end         last simulated instant
 * @param interval    length of one interval row
 * @param events      the timeline, in time order
 * @param rows        interval rows, by start, then class, then operator
 * @param refusedBy   refused sessions per class and reason (the reason text subscribers saw)
 * @param sources     the scenario's sources (URLs)
 * @param settings    how the run was made, for the record: seed, rate, subscribers, config version …
 */
public record RunRecord(String scenarioId, String title, String description, ZoneId zone, Instant start, Instant end,
                        Duration interval, List<ScenarioEvent> events, List<IntervalRow> rows,
                        Map<String, Map<String, Long>> refusedBy, List<String> sources, Map<String, String> settings) {

    public RunRecord {
        events = List.copyOf(events);
        rows = List.copyOf(rows);
        refusedBy = Map.copyOf(refusedBy);
        sources = List.copyOf(sources);
        settings = Map.copyOf(settings);
    }
}
