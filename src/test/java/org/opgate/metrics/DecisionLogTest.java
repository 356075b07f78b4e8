package org.opgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opgate.testing.GatewayHarness.BES_HOST;
import static org.opgate.testing.GatewayHarness.DEADLINE;
import static org.opgate.testing.GatewayHarness.SINK_HOST;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.gateway.enforce.Tunnel;
import org.opgate.testing.AdminClient;
import org.opgate.testing.Await;
import org.opgate.testing.GatewayHarness;
import org.opgate.testing.Wire;

/**
 * The decision log written by the stack {@code opgate run} starts: every line is a JSON object
 * (read here with Jackson, as {@code jq} would); one line per decision, refusal, tunnel end, cut
 * and reload, with times on the gateway clock.
 */
final class DecisionLogTest {

    /** In the BES notice phase, two months from any boundary. */
    private static final Instant START = OffsetDateTime.parse("2015-10-01T12:00+05:00").toInstant();
    private static final String NO_POLICIES = "policies: []\n";

    private static GatewayHarness gw;
    private static AdminClient api;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        gw = GatewayHarness.builder().admin().at(START).policies("extra.yaml", NO_POLICIES).start(dir);
        api = new AdminClient(gw);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @BeforeEach
    void reset() {
        gw.clock().set(START);
        gw.awaitNoTunnels();
    }

    private static String version() {
        return gw.gateway().runtime().config().version();
    }

    /** Every complete line of the log, each parsed as a JSON object. */
    private static List<JsonNode> lines() throws IOException {
        String text = Files.readString(gw.decisionLog());
        List<JsonNode> out = new ArrayList<>();
        for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            JsonNode n = AdminClient.json(line);
            assertThat(n.isObject()).as(line).isTrue();
            assertThat(n.path("type").asText()).as(line).isNotEmpty();
            out.add(n);
        }
        return out;
    }

    private static List<JsonNode> lines(Predicate<JsonNode> match) throws IOException {
        return lines().stream().filter(match).toList();
    }

    /** Waits for the one line that matches and returns it. */
    private static JsonNode awaitLine(Predicate<JsonNode> match, String what) {
        return Await.value(() -> {
            try {
                List<JsonNode> found = lines(match);
                assertThat(found).as(what).hasSizeLessThanOrEqualTo(1);
                return found.isEmpty() ? null : found.get(0);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }, "a decision-log line: " + what);
    }

    private static Predicate<JsonNode> decisionFor(String host) {
        return n -> n.path("type").asText().equals("decision") && n.path("flow").path("host").asText().equals(host);
    }

    @Test
    void decisionLineCarriesClockTimeFlowClassRulePoliciesVerdictReasonAndVersion() throws Exception {
        try (Socket s = Wire.connectTunnel(gw.http(), BES_HOST + ":3101")) {
            JsonNode d = awaitLine(decisionFor(BES_HOST), "the BES decision");

            assertThat(d.path("time").asText()).isEqualTo(START.toString());
            assertThat(d.path("listener").asText()).isEqualTo("http");
            JsonNode flow = d.path("flow");
            assertThat(flow.path("port").asInt()).isEqualTo(3101);
            assertThat(flow.path("operator").asText()).isEqualTo("mobilink");
            assertThat(flow.path("subscriber").asText()).isEqualTo("127.0.0.1");
            assertThat(flow.path("client").asText()).isEqualTo("127.0.0.1");
            assertThat(flow.path("listener").asText()).isEqualTo("http");
            assertThat(d.path("class").asText()).isEqualTo("BES");
            assertThat(d.path("rule").path("id").asText()).isEqualTo("bes-srp-host");
            assertThat(d.path("rule").path("location").asText()).matches(".*classes/blackberry\\.yaml:\\d+:\\d+");
            assertThat(d.path("policies")).hasSize(1);
            assertThat(d.path("policies").get(0).path("id").asText()).isEqualTo("pta-2015-bes");
            assertThat(d.path("policies").get(0).path("phase").asText()).isEqualTo("notice");
            assertThat(d.path("policies").get(0).path("verdict").asText()).isEqualTo("notify");
            assertThat(d.path("verdict").asText()).isEqualTo("notify");
            assertThat(d.path("reason").asText()).contains("Pakistan Telecommunication Authority");
            assertThat(d.path("config").asText()).isEqualTo(version());
        }
    }

    @Test
    void eachDecisionIsOneLine() throws Exception {
        List<String> hosts = List.of("a.log.opgate.invalid", "b.log.opgate.invalid", "c.log.opgate.invalid");
        for (String host : hosts) {
            try (Socket s = Wire.connect(gw.http())) {
                assertThat(Wire.connectRequest(s, host + ":443").status()).isEqualTo(502);
            }
        }

        for (String host : hosts) {
            List<JsonNode> d = lines(decisionFor(host));
            assertThat(d).as(host).hasSize(1);
            assertThat(d.get(0).path("class").asText()).isEqualTo("OTHER");
            assertThat(d.get(0).path("rule").isNull()).isTrue();
            assertThat(d.get(0).path("policies")).isEmpty();
            assertThat(d.get(0).path("verdict").asText()).isEqualTo("allow");
        }
    }

    @Test
    void refusalLineNamesListenerReasonAndDetail() throws Exception {
        try (Socket s = Wire.connect(gw.http())) {
            assertThat(Wire.connectRequest(s, "refused.log.opgate.invalid:443").status()).isEqualTo(502);
        }

        JsonNode r = awaitLine(n -> n.path("type").asText().equals("refusal")
                && n.path("detail").asText().contains("refused.log.opgate.invalid"), "the refusal");
        assertThat(r.path("time").asText()).isEqualTo(START.toString());
        assertThat(r.path("listener").asText()).isEqualTo("http");
        assertThat(r.path("reason").asText()).isEqualTo("unknown-host");
    }

    @Test
    void tunnelEndLineCarriesBytesDurationAndEndByTheClient() throws Exception {
        Tunnel t;
        try (Socket s = Wire.connectTunnel(gw.http(), SINK_HOST + ":443")) {
            t = gw.awaitTunnel(x -> SINK_HOST.equals(x.outcome().flow().host()), "the sink tunnel");
            Wire.send(s, new byte[1000]);
            Await.until(() -> t.bytesUp() == 1000, "the gateway to relay 1000 bytes");
            gw.clock().jump(Duration.ofSeconds(90));
        }

        JsonNode end = awaitLine(n -> n.path("type").asText().equals("tunnel-end") && n.path("tunnel").asLong() == t.id(),
                "the end of tunnel " + t.id());
        assertThat(end.path("time").asText()).isEqualTo(START.plusSeconds(90).toString());
        assertThat(end.path("listener").asText()).isEqualTo("http");
        assertThat(end.path("class").asText()).isEqualTo("BBM");
        assertThat(end.path("operator").asText()).isEqualTo("mobilink");
        assertThat(end.path("target").asText()).isEqualTo(SINK_HOST + ":443");
        assertThat(end.path("bytesUp").asLong()).isEqualTo(1000);
        assertThat(end.path("bytesDown").asLong()).isZero();
        assertThat(end.path("durationSeconds").asDouble()).isEqualTo(90.0);
        assertThat(end.path("end").asText()).isEqualTo("client");
    }

    @Test
    void tunnelCutAtTheDeadlineLogsTheCutAndEndsWithCut() throws Exception {
        Tunnel t;
        try (Socket s = Wire.connectTunnel(gw.http(), BES_HOST + ":3101")) {
            t = gw.awaitTunnel(x -> BES_HOST.equals(x.outcome().flow().host()), "the BES tunnel");
            gw.clock().set(DEADLINE);
            assertThat(Wire.awaitEnd(s)).isIn("closed", "reset");
        }

        JsonNode cut = awaitLine(n -> n.path("type").asText().equals("cut") && n.path("tunnel").asLong() == t.id(),
                "the cut of tunnel " + t.id());
        assertThat(cut.path("time").asText()).isEqualTo(DEADLINE.toString());
        assertThat(cut.path("class").asText()).isEqualTo("BES");
        assertThat(cut.path("reason").asText()).contains("Pakistan Telecommunication Authority");
        JsonNode end = awaitLine(n -> n.path("type").asText().equals("tunnel-end") && n.path("tunnel").asLong() == t.id(),
                "the end of tunnel " + t.id());
        assertThat(end.path("end").asText()).isEqualTo("cut");
        assertThat(end.path("reason").asText()).isEqualTo(cut.path("reason").asText());
        assertThat(end.path("durationSeconds").asDouble()).isEqualTo(Duration.between(START, DEADLINE).toSeconds());
    }

    @Test
    void reloadLinesCarryOldAndNewVersionsOrTheErrors() throws Exception {
        String before = version();
        gw.writeConfigFile("policies/extra.yaml", "# edited\n" + NO_POLICIES);
        assertThat(api.send("POST", "/reload", null).statusCode()).isEqualTo(200);
        String after = version();
        gw.writeConfigFile("policies/extra.yaml", "policies: {}\n");
        assertThat(api.send("POST", "/reload", null).statusCode()).isEqualTo(422);
        gw.writeConfigFile("policies/extra.yaml", NO_POLICIES);

        JsonNode ok = awaitLine(n -> n.path("type").asText().equals("reload") && n.path("newVersion").asText().equals(after),
                "the good reload");
        assertThat(ok.path("time").asText()).isEqualTo(START.toString());
        assertThat(ok.path("trigger").asText()).isEqualTo("admin");
        assertThat(ok.path("result").asText()).isEqualTo("ok");
        assertThat(ok.path("oldVersion").asText()).isEqualTo(before);
        assertThat(after).isNotEqualTo(before);
        JsonNode bad = awaitLine(n -> n.path("type").asText().equals("reload") && n.path("result").asText().equals("error")
                && n.path("errors").toString().contains("policies/extra.yaml"), "the refused reload");
        assertThat(bad.path("version").asText()).isEqualTo(after);
        assertThat(bad.path("errors").get(0).asText()).matches(".*policies/extra\\.yaml:\\d+:\\d+: .+");
    }

    @Test
    void twoGatewaysInOneProcessKeepTheirDecisionLogsApart(@TempDir Path other) throws Exception {
        try (GatewayHarness second = GatewayHarness.builder().admin().at(START).start(other)) {
            try (Socket s = Wire.connect(second.http())) {
                assertThat(Wire.connectRequest(s, "second.log.opgate.invalid:443").status()).isEqualTo(502);
            }
            try (Socket s = Wire.connect(gw.http())) {
                assertThat(Wire.connectRequest(s, "first.log.opgate.invalid:443").status()).isEqualTo(502);
            }

            assertThat(Files.readString(second.decisionLog())).contains("second.log.opgate.invalid")
                    .doesNotContain("first.log.opgate.invalid");
            assertThat(lines(decisionFor("first.log.opgate.invalid"))).hasSize(1);
            assertThat(lines(decisionFor("second.log.opgate.invalid"))).isEmpty();
        }
        try (Socket s = Wire.connect(gw.http())) {
            assertThat(Wire.connectRequest(s, "after.log.opgate.invalid:443").status()).isEqualTo(502);
        }
        assertThat(lines(decisionFor("after.log.opgate.invalid"))).as("the first log, after the second closed").hasSize(1);
    }
}
