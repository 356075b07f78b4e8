package org.opgate.report.run;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.opgate.scenario.ScenarioEvent;

/**
 * intervals.json: the run's metadata and settings at the top, then the interval rows, one per line
 * (so a long run stays readable and greppable). Instants as in intervals.csv. {@link #read} turns
 * the file back into the record, so a report can be made again from it.
 */
final class IntervalsJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private IntervalsJson() {
    }

    static String render(RunRecord run) {
        StringWriter out = new StringWriter();
        DefaultIndenter newline = new DefaultIndenter("  ", "\n");
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.setPrettyPrinter(new DefaultPrettyPrinter().withObjectIndenter(newline).withArrayIndenter(newline));
            g.writeStartObject();
            g.writeStringField("scenario", run.scenarioId());
            g.writeStringField("title", run.title());
            g.writeStringField("description", run.description());
            g.writeStringField("zone", run.zone().getId());
            g.writeStringField("start", Times.iso(run.start(), run.zone()));
            g.writeStringField("end", Times.iso(run.end(), run.zone()));
            g.writeStringField("interval", run.interval().toString());
            g.writeFieldName("settings");
            g.writeRawValue(MAPPER.writeValueAsString(new TreeMap<>(run.settings())));
            g.writeFieldName("sources");
            g.writeRawValue(MAPPER.writeValueAsString(run.sources()));
            g.writeArrayFieldStart("events");
            for (ScenarioEvent e : run.events()) {
                g.writeRawValue(MAPPER.writeValueAsString(event(e, run.zone())));
            }
            g.writeEndArray();
            g.writeFieldName("refusedBy");
            g.writeRawValue(MAPPER.writeValueAsString(refusedBy(run)));
            g.writeArrayFieldStart("rows");
            for (IntervalRow r : run.rows()) {
                g.writeRawValue(MAPPER.writeValueAsString(row(r, run.zone())));
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write intervals.json", e);
        }
        return out.append('\n').toString();
    }

    private static Map<String, Object> event(ScenarioEvent e, ZoneId zone) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", Times.iso(e.at(), zone));
        m.put("name", e.name());
        m.put("description", e.description());
        m.put("sources", e.sources());
        return m;
    }

    private static Map<String, Map<String, Long>> refusedBy(RunRecord run) {
        Map<String, Map<String, Long>> sorted = new TreeMap<>();
        run.refusedBy().forEach((c, reasons) -> sorted.put(c, new TreeMap<>(reasons)));
        return sorted;
    }

    private static Map<String, Object> row(IntervalRow r, ZoneId zone) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("start", Times.iso(r.start(), zone));
        m.put("end", Times.iso(r.end(), zone));
        m.put("class", r.trafficClass());
        m.put("operator", r.operator());
        m.put("completed", r.completed());
        m.put("refused", r.refused());
        m.put("cut", r.cut());
        m.put("errors", r.errors());
        return m;
    }

    /** The record written by {@link #render}. */
    static RunRecord read(String json) throws IOException {
        JsonNode n = MAPPER.readTree(json);
        List<ScenarioEvent> events = new ArrayList<>();
        for (JsonNode e : n.path("events")) {
            events.add(new ScenarioEvent(Times.parseIso(e.path("at").asText()), e.path("name").asText(),
                    e.path("description").asText(), strings(e.path("sources"))));
        }
        List<IntervalRow> rows = new ArrayList<>();
        for (JsonNode r : n.path("rows")) {
            rows.add(new IntervalRow(Times.parseIso(r.path("start").asText()), Times.parseIso(r.path("end").asText()),
                    r.path("class").asText(), r.path("operator").asText(), r.path("completed").asLong(),
                    r.path("refused").asLong(), r.path("cut").asLong(), r.path("errors").asLong()));
        }
        Map<String, Map<String, Long>> refusedBy = new LinkedHashMap<>();
        n.path("refusedBy").properties().forEach(c -> {
            Map<String, Long> reasons = new LinkedHashMap<>();
            c.getValue().properties().forEach(r -> reasons.put(r.getKey(), r.getValue().asLong()));
            refusedBy.put(c.getKey(), reasons);
        });
        Map<String, String> settings = new LinkedHashMap<>();
        n.path("settings").properties().forEach(s -> settings.put(s.getKey(), s.getValue().asText()));
        return new RunRecord(n.path("scenario").asText(), n.path("title").asText(), n.path("description").asText(),
                ZoneId.of(n.path("zone").asText()), Times.parseIso(n.path("start").asText()),
                Times.parseIso(n.path("end").asText()), Duration.parse(n.path("interval").asText()), events, rows,
                refusedBy, strings(n.path("sources")), settings);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(s -> out.add(s.asText()));
        return out;
    }
}
