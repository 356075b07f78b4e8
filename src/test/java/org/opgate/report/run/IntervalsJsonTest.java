package org.opgate.report.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

final class IntervalsJsonTest {

    static Stream<Arguments> runs() {
        return Stream.of(Arguments.of("Pakistan 2015", RunRecords.pakistanAsOrdered()),
                Arguments.of("hostile text", RunRecords.hostile()), Arguments.of("empty run", RunRecords.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void readsBackAsTheSameRecord(String name, RunRecord run) throws Exception {
        assertThat(IntervalsJson.read(IntervalsJson.render(run))).isEqualTo(run);
    }

    @Test
    void metadataAndSettingsComeBeforeTheRows() throws Exception {
        JsonNode n = new ObjectMapper().readTree(IntervalsJson.render(RunRecords.pakistanAsOrdered()));
        List<String> fields = new ArrayList<>();
        n.fieldNames().forEachRemaining(fields::add);

        assertThat(fields).containsExactly("scenario", "title", "description", "zone", "start", "end", "interval",
                "settings", "sources", "events", "refusedBy", "rows");
        assertThat(n.path("settings").path("seed").asText()).isEqualTo("42");
        assertThat(n.path("events").get(2).path("at").asText()).isEqualTo("2015-12-01T00:00:00+05:00");
    }

    @Test
    void writesOneRowPerLine() {
        RunRecord run = RunRecords.pakistanAsOrdered();
        String json = IntervalsJson.render(run);

        assertThat(json.lines().filter(l -> l.strip().startsWith("{\"start\"")).count()).isEqualTo(run.rows().size());
    }
}
