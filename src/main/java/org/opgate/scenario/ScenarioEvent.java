package org.opgate.scenario;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One dated event of a scenario's timeline: a directive, a notice, a deadline, an extension, a
 * rescission. What the event changes (its config revision) is kept by the scenario; this is what
 * timelines, charts and the dashboard show.
 *
 * @param at          the instant the event takes effect
 * @param name        short label, like "deadline" or "extension to 30 Dec"
 * @param description one sentence on what happened
 * @param sources     where the fact comes from (URLs as in ../shared/reference/timelines.md)
 */
public record ScenarioEvent(Instant at, String name, String description, List<String> sources) {

    public ScenarioEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        sources = List.copyOf(sources);
    }
}
