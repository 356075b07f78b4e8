package org.opgate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opgate.classify.EndpointRule;
import org.opgate.classify.FieldCheck;
import org.opgate.config.ConfigError;
import org.opgate.flow.Flow;
import org.opgate.metrics.DecisionRecords;

/** JSON output for {@code --json}: stable key order, pretty printed, for jq and CI. */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static Map<String, Object> rule(EndpointRule r) {
        return DecisionRecords.rule(r);
    }

    static Map<String, Object> check(FieldCheck c) {
        return DecisionRecords.check(c);
    }

    static Map<String, Object> flow(Flow f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", f.host());
        m.put("sni", f.sni());
        m.put("ip", f.ip() == null ? null : f.ip().toString());
        m.put("port", f.port());
        return m;
    }

    static Map<String, Object> error(ConfigError e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("location", e.where().toString());
        m.put("message", e.message());
        m.put("expected", e.expected());
        return m;
    }
}
