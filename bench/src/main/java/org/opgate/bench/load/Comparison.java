package org.opgate.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the reports of one bench/compare run into the markdown table of opgate against its peers
 * and the targets of issue 8 as ratios, plus one JSON document with everything.
 */
final class Comparison {

    /** One target of the issue: opgate's figure over a peer's, at least {@code min}. */
    record Target(String what, String mine, String peer, String workload, String field, double min) {
    }

    static final List<Target> TARGETS = List.of(
            new Target("SNI tunnels/s ≥ 1.0× HAProxy", "opgate-sni", "haproxy", "rate", "tunnelsPerSecond", 1.0),
            new Target("SNI refusals/s ≥ 1.0× HAProxy", "opgate-sni", "haproxy", "refusal", "refusalsPerSecond", 1.0),
            new Target("SNI throughput ≥ 0.9× nginx", "opgate-sni", "nginx", "throughput", "mbPerSecond", 0.9),
            new Target("CONNECT tunnels/s ≥ 2.5× Squid", "opgate-connect", "squid", "rate", "tunnelsPerSecond", 2.5),
            new Target("CONNECT MB/s ≥ 1.5× Squid", "opgate-connect", "squid", "throughput", "mbPerSecond", 1.5),
            new Target("SOCKS5 tunnels/s ≥ 3× Dante", "opgate-socks5", "dante", "rate", "tunnelsPerSecond", 3.0));

    private Comparison() {
    }

    static String build(List<Path> reports, Map<String, String> about, Path jsonOut) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, Map<String, JsonNode>> byTarget = new LinkedHashMap<>();
        ArrayNode runs = mapper.createArrayNode();
        for (Path p : reports) {
            JsonNode r = mapper.readTree(p.toFile());
            runs.add(r);
            byTarget.computeIfAbsent(r.path("target").asText(), k -> new LinkedHashMap<>()).put(r.path("workload").asText(), r);
        }
        StringBuilder md = new StringBuilder();
        md.append("| target | protocol | tunnels/s | p50 / p90 / p99 ms | refusals/s | MB/s | errors | proxy CPU % (rate) | proxy CPU ms/tunnel (rate; without JIT/GC) | load CPU ms/tunnel (rate) | proxy RSS MB |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (var e : byTarget.entrySet()) {
            Map<String, JsonNode> w = e.getValue();
            JsonNode any = w.values().iterator().next();
            JsonNode rate = w.get("rate");
            long errors = 0;
            double rss = 0;
            for (JsonNode r : w.values()) {
                errors += r.path("errors").asLong();
                rss = Math.max(rss, r.path("proxyRssMb").asDouble());
            }
            md.append("| ").append(e.getKey()).append(" | ").append(any.path("protocol").asText())
                    .append(" | ").append(num(w, "rate", "tunnelsPerSecond", 0))
                    .append(" | ").append(rate == null || rate.path("latencyMicros").isMissingNode() ? "—" : String.format("%.2f / %.2f / %.2f",
                            rate.path("latencyMicros").path("p50").asDouble() / 1000, rate.path("latencyMicros").path("p90").asDouble() / 1000,
                            rate.path("latencyMicros").path("p99").asDouble() / 1000))
                    .append(" | ").append(num(w, "refusal", "refusalsPerSecond", 0))
                    .append(" | ").append(num(w, "throughput", "mbPerSecond", 1))
                    .append(" | ").append(errors)
                    .append(" | ").append(rate == null || !rate.has("proxyCpuPercent") ? "—" : String.format("%.0f", rate.path("proxyCpuPercent").asDouble()))
                    .append(" | ").append(rate == null || !rate.has("proxyCpuMsPerTunnel") ? "—" : String.format("%.3f; %.3f",
                            rate.path("proxyCpuMsPerTunnel").asDouble(), rate.path("proxyWorkCpuMsPerTunnel").asDouble()))
                    .append(" | ").append(rate == null || !rate.has("loadCpuMsPerTunnel") ? "—" : String.format("%.3f",
                            rate.path("loadCpuMsPerTunnel").asDouble()))
                    .append(" | ").append(rss == 0 ? "—" : String.format("%.0f", rss))
                    .append(" |\n");
        }
        md.append("\n| target | opgate | peer | ratio | met? |\n|---|---:|---:|---:|---|\n");
        ArrayNode targets = mapper.createArrayNode();
        for (Target t : TARGETS) {
            JsonNode mine = byTarget.getOrDefault(t.mine(), Map.of()).get(t.workload());
            JsonNode peer = byTarget.getOrDefault(t.peer(), Map.of()).get(t.workload());
            if (mine == null || peer == null || peer.path(t.field()).asDouble() == 0) {
                md.append("| ").append(t.what()).append(" | — | — | — | not measured |\n");
                continue;
            }
            double a = mine.path(t.field()).asDouble();
            double b = peer.path(t.field()).asDouble();
            double ratio = a / b;
            boolean met = ratio >= t.min() && mine.path("errors").asLong() == 0;
            md.append(String.format("| %s | %,.1f | %,.1f | %.2f× | %s |%n", t.what(), a, b, ratio, met ? "yes" : "**no**"));
            ObjectNode o = targets.addObject();
            o.put("target", t.what());
            o.put("opgate", a);
            o.put("peer", b);
            o.put("ratio", Math.round(ratio * 100) / 100.0);
            o.put("min", t.min());
            o.put("met", met);
        }
        if (jsonOut != null) {
            ObjectNode doc = mapper.createObjectNode();
            about.forEach(doc::put);
            doc.set("runs", runs);
            doc.set("targets", targets);
            mapper.enable(SerializationFeature.INDENT_OUTPUT).writeValue(jsonOut.toFile(), doc);
        }
        return md.toString();
    }

    private static String num(Map<String, JsonNode> w, String workload, String field, int decimals) {
        JsonNode r = w.get(workload);
        if (r == null) {
            return "—";
        }
        return String.format(decimals == 0 ? "%,.0f" : "%,.1f", r.path(field).asDouble());
    }

    static List<Path> list(List<Path> paths) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (var s = Files.list(p)) {
                    s.filter(f -> f.toString().endsWith(".json")).sorted().forEach(out::add);
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }
}
