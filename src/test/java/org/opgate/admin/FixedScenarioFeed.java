package org.opgate.admin;

import java.util.List;
import java.util.Map;
import org.opgate.scenario.ScenarioEvent;

/** A scenario as the dashboard sees it, with fixed events and session counts, for tests of the admin side. */
record FixedScenarioFeed(List<ScenarioEvent> events, int eventsPassed, Map<String, Map<String, Long>> sessions)
        implements ScenarioFeed {

    @Override
    public String id() {
        return "test-scenario";
    }

    @Override
    public String title() {
        return "A test scenario";
    }
}
