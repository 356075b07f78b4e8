package org.opgate.replay;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Regenerates the committed captures on request; otherwise does nothing. */
final class DemoCapturesTest {

    @Test
    @EnabledIfSystemProperty(named = "opgate.writeCaptures", matches = "true")
    void writeTheCommittedCaptures() throws Exception {
        DemoCaptures.writeCommitted(Path.of("src/test/resources/captures"));
    }
}
