package org.opgate.admin;

import java.util.List;
import java.util.Map;
import org.opgate.scenario.ScenarioEvent;

/**
 * What a running scenario shows on the dashboard and the admin API: its timeline and the
 * sessions of its population so far. Absent when the gateway runs without a scenario.
 * Implementations are called from admin threads and must be thread-safe.
 */
public interface ScenarioFeed {

    /** File name of the scenario without .yaml. */
    String id();

    String title();

    /** The timeline, in time order. */
    List<ScenarioEvent> events();

    /** How many events of {@link #events()} have been applied. */
    int eventsPassed();

    /** Sessions so far: class → outcome (completed, refused, cut, error) → count. */
    Map<String, Map<String, Long>> sessions();
}
