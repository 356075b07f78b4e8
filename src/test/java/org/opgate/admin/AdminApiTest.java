package org.opgate.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opgate.testing.AdminClient.json;
import static org.opgate.testing.GatewayHarness.BBM_HOST;
import static org.opgate.testing.GatewayHarness.BEFORE_DEADLINE;
import static org.opgate.testing.GatewayHarness.DEADLINE;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opgate.clock.SimulatedClock;
import org.opgate.testing.AdminClient;
import org.opgate.testing.Await;
import org.opgate.testing.EventStream;
import org.opgate.testing.GatewayHarness;
import org.opgate.testing.Wire;

/**
 * Every admin endpoint over real HTTP (the JDK HttpClient, raw sockets for server-sent events):
 * what each answers, and how each refuses (status, JSON {@code error} and {@code expected}).
 * A second gateway runs on the real clock with a bearer token.
 */
final class AdminApiTest {

    private static final String TOKEN = "s3cret-token-for-tests";
    /** A Mobilink subscriber by MSISDN; the authority report pseudonymises it. */
    private static final String MSISDN = "923001234567";
    private static final String BIS_HOST = "mail.bis.na.blackberry.com";
    private static final String BIS_REPORT = """
            policies:
              - id: bis-report
                class: BIS
                zone: Asia/Karachi
                phases:
                  - {name: watch, from: 2015-01-01T00:00, action: report}
            """;
    private static final String NO_POLICIES = "policies: []\n";

    private static GatewayHarness gw;
    private static GatewayHarness guarded;
    private static AdminClient api;
    private static Instant reportedAt;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        gw = GatewayHarness.builder().admin().policies("bis-report.yaml", BIS_REPORT).policies("extra.yaml", NO_POLICIES)
                .start(dir.resolve("simulated"));
        guarded = GatewayHarness.builder().realClock().adminToken(TOKEN).start(dir.resolve("real"));
        api = new AdminClient(gw);

        // One flow under the BIS report phase, by a subscriber known by MSISDN, closed so its bytes count.
        reportedAt = gw.clock().instant();
        try (Socket raw = Wire.connect(gw.http())) {
            assertThat(Wire.connectRequest(raw, BIS_HOST + ":443", MSISDN).status()).isEqualTo(200);
            try (SSLSocket tls = Wire.tls(raw, BIS_HOST)) {
                Wire.echo(tls, "reported bytes");
            }
        }
        Await.until(() -> gw.closedTunnels().size() == 1, "the BIS tunnel to be reported closed");
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
        if (guarded != null) {
            guarded.close();
        }
    }

    @BeforeEach
    void reset() throws Exception {
        gw.clock().pause();
        gw.clock().setRate(1);
        gw.clock().set(BEFORE_DEADLINE);
        gw.awaitNoTunnels();
        if (!Files.readString(gw.configDir().resolve("policies/extra.yaml")).equals(NO_POLICIES)) {
            gw.writeConfigFile("policies/extra.yaml", NO_POLICIES);
            assertThat(gw.stack().reloader().reload("test").ok()).isTrue();
        }
    }

    private static String version() {
        return gw.gateway().runtime().config().version();
    }

    /** A refusal: {@code status}, a JSON body with a non-empty error and what was expected. */
    private static JsonNode assertJsonError(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode e = json(r);
        assertThat(e.path("error").asText()).as(r.body()).isNotBlank();
        assertThat(e.path("expected").asText()).as(r.body()).isNotBlank();
        return e;
    }

    // ---- /health, /config, /metrics ----

    @Test
    void healthReportsStatusVersionClockTunnelsAndListeners() throws Exception {
        HttpResponse<String> r = api.get("/health");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode h = json(r);
        assertThat(h.path("status").asText()).isEqualTo("ok");
        assertThat(h.path("version").asText()).isEqualTo(version());
        assertThat(h.path("clock").asText()).isEqualTo(BEFORE_DEADLINE.toString());
        assertThat(h.path("tunnels").asInt()).isZero();
        assertThat(h.path("listeners")).hasSize(4);
        assertThat(h.path("listeners").get(0).asText()).startsWith("listening http 127.0.0.1:");
    }

    @Test
    void configListsRulesWithTheirFileLineAndColumn() throws Exception {
        JsonNode c = json(api.get("/config"));

        assertThat(c.path("version").asText()).isEqualTo(version());
        List<String> classes = new ArrayList<>();
        c.path("classes").forEach(k -> classes.add(k.path("name").asText()));
        assertThat(classes).contains("BES", "BBM", "BIS");
        JsonNode bes = c.path("classes").get(classes.indexOf("BES"));
        JsonNode rule = bes.path("rules").get(0);
        assertThat(rule.path("id").asText()).isEqualTo("bes-srp-host");
        assertThat(rule.path("host").asText()).isEqualTo("*.srp.blackberry.com");
        String location = rule.path("location").asText();
        assertThat(location).matches(".*classes/blackberry\\.yaml:\\d+:\\d+");
        String[] at = location.split(":");
        String line = Files.readAllLines(Path.of(location.substring(0, location.indexOf(".yaml:") + 5)))
                .get(Integer.parseInt(at[at.length - 2]) - 1);
        assertThat(line.substring(Integer.parseInt(at[at.length - 1]) - 1)).startsWith("id: bes-srp-host");
        c.path("classes").forEach(k -> k.path("rules").forEach(
                x -> assertThat(x.path("location").asText()).matches(".*\\.yaml:\\d+:\\d+")));
    }

    @Test
    void configListsPoliciesWithPhasesAndOperators() throws Exception {
        JsonNode c = json(api.get("/config"));

        JsonNode pta = c.path("policies").get(0);
        assertThat(pta.path("id").asText()).isEqualTo("pta-2015-bes");
        assertThat(pta.path("class").asText()).isEqualTo("BES");
        assertThat(pta.path("location").asText()).matches(".*policies/pta-2015\\.yaml:\\d+:\\d+");
        assertThat(pta.path("phases").get(1).path("name").asText()).isEqualTo("deadline");
        assertThat(pta.path("phases").get(1).path("action").asText()).isEqualTo("block");
        assertThat(pta.path("phases").get(1).path("cutExisting").asBoolean()).isTrue();
        assertThat(c.path("policies").get(1).path("id").asText()).isEqualTo("bis-report");
        List<String> operators = new ArrayList<>();
        c.path("operators").forEach(o -> operators.add(o.path("id").asText()));
        assertThat(operators).containsExactly("mobilink", "ufone", "telenor", "zong", "warid");
    }

    @Test
    void metricsAnswersPrometheusText() throws Exception {
        HttpResponse<String> r = api.get("/metrics");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        assertThat(r.body()).contains("# TYPE opgate_clock_seconds gauge", "opgate_flows_total{");
    }

    // ---- /reload ----

    @Test
    void reloadSwapsInTheConfigOnDiskAndAnswersOldAndNewVersions() throws Exception {
        String before = version();
        gw.writeConfigFile("policies/extra.yaml", "# edited\n" + NO_POLICIES);

        HttpResponse<String> r = api.send("POST", "/reload", null);

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode j = json(r);
        assertThat(j.path("result").asText()).isEqualTo("ok");
        assertThat(j.path("oldVersion").asText()).isEqualTo(before);
        assertThat(j.path("newVersion").asText()).isNotEqualTo(before).isEqualTo(version());
        assertThat(j.path("tunnelsCut").asInt()).isZero();
    }

    @Test
    void reloadOfAConfigWithErrorsAnswers422WithFileLineColumnAndKeepsTheRunningConfig() throws Exception {
        String before = version();
        gw.writeConfigFile("policies/extra.yaml", """
                policies:
                  - id: broken
                    class: NOSUCH
                    zone: Asia/Karachi
                    phases:
                      - {from: 2015-01-01T00:00, action: blok}
                """);

        HttpResponse<String> r = api.send("POST", "/reload", null);

        assertThat(r.statusCode()).isEqualTo(422);
        JsonNode j = json(r);
        assertThat(j.path("result").asText()).isEqualTo("error");
        assertThat(j.path("version").asText()).isEqualTo(before);
        assertThat(j.path("errors")).hasSizeGreaterThanOrEqualTo(2);
        j.path("errors").forEach(e -> assertThat(e.asText()).matches(".*policies/extra\\.yaml:\\d+:\\d+: .+"));
        assertThat(j.path("errors").toString()).contains("NOSUCH", "blok");
        assertThat(version()).isEqualTo(before);
        assertThat(json(api.get("/health")).path("version").asText()).isEqualTo(before);
    }

    // ---- /clock ----

    @Test
    void clockGetShowsInstantModeRatePausedAndNextBoundary() throws Exception {
        JsonNode c = json(api.get("/clock"));

        assertThat(c.path("instant").asText()).isEqualTo(BEFORE_DEADLINE.toString());
        assertThat(c.path("mode").asText()).isEqualTo("simulated");
        assertThat(c.path("rate").asDouble()).isEqualTo(1.0);
        assertThat(c.path("paused").asBoolean()).isTrue();
        assertThat(c.path("nextBoundary").asText()).isEqualTo(DEADLINE.toString());
    }

    @Test
    void clockPutInstantSetsTheClock() throws Exception {
        HttpResponse<String> r = api.send("PUT", "/clock", "{\"instant\": \"2015-11-30T12:00+05:00\"}");

        Instant expected = OffsetDateTime.parse("2015-11-30T12:00+05:00").toInstant();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("instant").asText()).isEqualTo(expected.toString());
        assertThat(gw.clock().instant()).isEqualTo(expected);
    }

    @Test
    void clockPutRateAndPausedFalseRunsTheClockAtThatRate() throws Exception {
        HttpResponse<String> r = api.send("PUT", "/clock", "{\"rate\": 3600, \"paused\": false}");

        JsonNode c = json(r);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(c.path("rate").asDouble()).isEqualTo(3600.0);
        assertThat(c.path("paused").asBoolean()).isFalse();
        assertThat(gw.clock().rate()).isEqualTo(3600.0);
        Await.until(() -> gw.clock().instant().isAfter(BEFORE_DEADLINE), "the clock to run");
    }

    @Test
    void clockPutPausedTrueStopsARunningClock() throws Exception {
        gw.clock().resume();

        HttpResponse<String> r = api.send("PUT", "/clock", "{\"paused\": true}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("paused").asBoolean()).isTrue();
        assertThat(gw.clock().isPaused()).isTrue();
        assertThat(json(api.get("/clock")).path("instant").asText()).isEqualTo(gw.clock().instant().toString());
    }

    @Test
    void clockPutJumpMovesTheClockByTheDuration() throws Exception {
        HttpResponse<String> r = api.send("PUT", "/clock", "{\"jump\": \"PT1H\"}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("instant").asText()).isEqualTo(BEFORE_DEADLINE.plus(Duration.ofHours(1)).toString());
    }

    @Test
    void clockPutJumpToTheNextBoundaryLandsOnIt() throws Exception {
        HttpResponse<String> r = api.send("PUT", "/clock", "{\"jump\": \"next-boundary\"}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("instant").asText()).isEqualTo(DEADLINE.toString());
        assertThat(gw.clock().instant()).isEqualTo(DEADLINE);
    }

    @Test
    void clockPutJumpToTheNextBoundaryWhenNoneIsLeftAnswers409() throws Exception {
        gw.clock().set(Instant.parse("2016-06-01T00:00:00Z"));

        JsonNode e = assertJsonError(api.send("PUT", "/clock", "{\"jump\": \"next-boundary\"}"), 409);

        assertThat(e.path("error").asText()).contains("no phase boundary");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"rate\": -1}", "{\"rate\": 0}", "{\"rate\": \"fast\"}", "{\"paused\": \"yes\"}", "{\"instant\": \"tomorrow\"}",
        "{\"instant\": \"2015-12-01T00:00\"}", "{\"jump\": \"soon\"}", "{\"jump\": 3600}",
        "{\"instant\": \"+999999999-12-31T23:59:59Z\"}", "{\"jump\": \"PT-999999999H\"}", "{\"jump\": \"PT999999999999H\"}"
    })
    void clockPutWithABadValueAnswers400AndLeavesTheClock(String body) throws Exception {
        JsonNode e = assertJsonError(api.send("PUT", "/clock", body), 400);

        String field = body.substring(2, body.indexOf('"', 2));
        assertThat(e.path("error").asText()).startsWith(field + " ");
        assertThat(gw.clock().instant()).isEqualTo(BEFORE_DEADLINE);
        assertThat(gw.clock().rate()).isEqualTo(1.0);
        assertThat(gw.clock().isPaused()).isTrue();
    }

    @Test
    void clockPutWithARateThatRunsTheClockOffItsRangeLeavesTheGatewayServing() throws Exception {
        HttpResponse<String> r = api.send("PUT", "/clock", "{\"rate\": 1e308, \"paused\": false}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(api.get("/health")).path("clock").asText()).isEqualTo(SimulatedClock.LATEST.toString());
        try (Socket s = Wire.connect(gw.http())) {
            assertThat(Wire.connectRequest(s, BBM_HOST + ":443").status()).isEqualTo(200);
        }
    }

    @Test
    void clockPutWithAnUnknownFieldAnswers400() throws Exception {
        JsonNode e = assertJsonError(api.send("PUT", "/clock", "{\"speed\": 2}"), 400);

        assertThat(e.path("error").asText()).isEqualTo("unknown field 'speed'");
        assertThat(e.path("expected").asText()).isEqualTo("any of paused, rate, instant, jump");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "[1, 2]", "\"PT1H\"", "null", "", "{}"})
    void clockPutWithABodyThatIsNotAClockChangeAnswers400(String body) throws Exception {
        assertJsonError(api.send("PUT", "/clock", body), 400);

        assertThat(gw.clock().instant()).isEqualTo(BEFORE_DEADLINE);
    }

    @Test
    void clockPutOnARealClockAnswers409() throws Exception {
        AdminClient real = new AdminClient(guarded, TOKEN);

        JsonNode e = assertJsonError(real.send("PUT", "/clock", "{\"jump\": \"PT1H\"}"), 409);

        assertThat(e.path("error").asText()).contains("real");
        assertThat(json(real.get("/clock")).path("mode").asText()).isEqualTo("real");
    }

    // ---- /explain ----

    @Test
    void explainShowsClassRuleChecksAndDecision() throws Exception {
        JsonNode x = json(api.get("/explain?host=gb.srp.blackberry.com&port=3101&at=2015-12-01T00:00%2B05:00"));

        assertThat(x.path("at").asText()).isEqualTo(DEADLINE.toString());
        assertThat(x.path("class").asText()).isEqualTo("BES");
        assertThat(x.path("rule").path("id").asText()).isEqualTo("bes-srp-host");
        assertThat(x.path("rule").path("location").asText()).matches(".*classes/blackberry\\.yaml:\\d+:\\d+");
        assertThat(x.path("checks")).isNotEmpty().allSatisfy(c -> assertThat(c.path("matched").asBoolean()).isTrue());
        List<String> fields = new ArrayList<>();
        x.path("checks").forEach(c -> fields.add(c.path("field").asText()));
        assertThat(fields).contains("ports");
        JsonNode d = x.path("decision");
        assertThat(d.path("verdict").asText()).isEqualTo("block");
        assertThat(d.path("policies").get(0).path("id").asText()).isEqualTo("pta-2015-bes");
        assertThat(d.path("policies").get(0).path("phase").asText()).isEqualTo("deadline");
        assertThat(d.path("reason").asText()).contains("Pakistan Telecommunication Authority");
    }

    @Test
    void explainWithoutAtDecidesAtTheGatewayClock() throws Exception {
        JsonNode x = json(api.get("/explain?host=gb.srp.blackberry.com&port=3101&operator=ufone"));

        assertThat(x.path("at").asText()).isEqualTo(BEFORE_DEADLINE.toString());
        assertThat(x.path("flow").path("operator").asText()).isEqualTo("ufone");
        assertThat(x.path("decision").path("verdict").asText()).isEqualTo("notify");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "host=gb.srp.blackberry.com                          | missing parameter port",
        "host=gb.srp.blackberry.com&port=https               | port https",
        "host=gb.srp.blackberry.com&port=70000               | port 70000",
        "ip=999.1.1.1&port=443                               | 999.1.1.1",
        "host=gb.srp.blackberry.com&port=3101&at=yesterday   | at yesterday",
        "host=gb.srp.blackberry.com&port=3101&operator=nope  | operator nope",
        "port=443                                            | nothing to classify"
    })
    void explainRefusesABadParameterWith400(String query, String error) throws Exception {
        JsonNode e = assertJsonError(api.get("/explain?" + query), 400);

        assertThat(e.path("error").asText()).contains(error);
    }

    // ---- /tunnels, /decisions ----

    @Test
    void tunnelsListsAnOpenTunnelWithItsBytes() throws Exception {
        try (Socket raw = Wire.connectTunnel(gw.http(), BBM_HOST + ":443");
             SSLSocket tls = Wire.tls(raw, BBM_HOST)) {
            Wire.echo(tls, "counted both ways");

            JsonNode list = json(api.get("/tunnels"));

            assertThat(list).hasSize(1);
            JsonNode t = list.get(0);
            assertThat(t.path("listener").asText()).isEqualTo("http");
            assertThat(t.path("flow").path("host").asText()).isEqualTo(BBM_HOST);
            assertThat(t.path("flow").path("port").asInt()).isEqualTo(443);
            assertThat(t.path("class").asText()).isEqualTo("BBM");
            assertThat(t.path("verdict").asText()).isEqualTo("allow");
            assertThat(t.path("start").asText()).isEqualTo(BEFORE_DEADLINE.toString());
            assertThat(t.path("bytesUp").asLong()).isGreaterThanOrEqualTo("counted both ways".length());
            assertThat(t.path("bytesDown").asLong()).isGreaterThanOrEqualTo("counted both ways".length());
        }
    }

    @Test
    void decisionsReturnsTheLastNOldestFirst() throws Exception {
        for (String host : List.of("one.opgate.invalid", "two.opgate.invalid", "three.opgate.invalid")) {
            try (Socket s = Wire.connect(gw.http())) {
                assertThat(Wire.connectRequest(s, host + ":443").status()).isEqualTo(502);
            }
        }

        JsonNode list = json(api.get("/decisions?limit=2"));

        assertThat(list).hasSize(2);
        assertThat(list.get(0).path("flow").path("host").asText()).isEqualTo("two.opgate.invalid");
        assertThat(list.get(1).path("flow").path("host").asText()).isEqualTo("three.opgate.invalid");
        assertThat(list.get(1).path("type").asText()).isEqualTo("decision");
        assertThat(list.get(1).path("class").asText()).isEqualTo("OTHER");
        assertThat(list.get(1).path("verdict").asText()).isEqualTo("allow");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1001", "-1", "many"})
    void decisionsRefusesALimitOutOfRangeWith400(String limit) throws Exception {
        JsonNode e = assertJsonError(api.get("/decisions?limit=" + limit), 400);

        assertThat(e.path("expected").asText()).isEqualTo("limit=1..1000");
    }

    // ---- /events ----

    /** {@code GET /events} of the simulated gateway, once no earlier stream is open and until this one is subscribed. */
    private static EventStream events() throws IOException {
        Await.until(() -> gw.stack().events().subscriberCount() == 0, "earlier event streams to close");
        EventStream s = new EventStream(gw.admin(), "/events", null);
        // The hub subscribes right after the head is written: wait for it, so no event is missed.
        Await.until(() -> gw.stack().events().subscriberCount() == 1, "the event stream to subscribe");
        return s;
    }

    @Test
    void eventsStreamADecisionAfterARequest() throws Exception {
        try (EventStream events = events()) {
            try (Socket s = Wire.connect(gw.http())) {
                assertThat(Wire.connectRequest(s, "sse.opgate.invalid:443").status()).isEqualTo(502);
            }

            JsonNode d = events.next("decision");

            assertThat(d.path("type").asText()).isEqualTo("decision");
            assertThat(d.path("flow").path("host").asText()).isEqualTo("sse.opgate.invalid");
            assertThat(d.path("time").asText()).isEqualTo(BEFORE_DEADLINE.toString());
            assertThat(d.path("config").asText()).isEqualTo(version());
        }
    }

    @Test
    void eventsStreamAClockEventAfterPutClock() throws Exception {
        try (EventStream events = events()) {
            assertThat(api.send("PUT", "/clock", "{\"jump\": \"PT1M\"}").statusCode()).isEqualTo(200);

            JsonNode c = events.next("clock");

            assertThat(c.path("type").asText()).isEqualTo("clock");
            assertThat(c.path("instant").asText()).isEqualTo(BEFORE_DEADLINE.plusSeconds(60).toString());
            assertThat(c.path("paused").asBoolean()).isTrue();
        }
    }

    // ---- /report/authority ----

    @Test
    void authorityReportAsJsonPseudonymisesSubscribersByDefault() throws Exception {
        HttpResponse<String> r = api.get("/report/authority");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).doesNotContain(MSISDN);
        JsonNode rows = json(r);
        assertThat(rows).hasSize(1);
        JsonNode row = rows.get(0);
        assertThat(row.path("operator").asText()).isEqualTo("mobilink");
        assertThat(row.path("class").asText()).isEqualTo("BIS");
        assertThat(row.path("subscriber").asText()).matches("sub-[0-9a-f]{16}");
        assertThat(row.path("firstSeen").asText()).isEqualTo(reportedAt.toString());
        assertThat(row.path("lastSeen").asText()).isEqualTo(reportedAt.toString());
        assertThat(row.path("flows").asLong()).isEqualTo(1);
        assertThat(row.path("bytes").asLong()).isGreaterThanOrEqualTo(2L * "reported bytes".length());
    }

    @Test
    void authorityReportWithRevealShowsTheSubscriber() throws Exception {
        JsonNode rows = json(api.get("/report/authority?reveal=true"));

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).path("subscriber").asText()).isEqualTo(MSISDN);
    }

    @Test
    void authorityReportAsCsvHasAHeaderAndOneRowPerOperatorSubscriberAndClass() throws Exception {
        HttpResponse<String> r = api.get("/report/authority?format=csv");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
        String[] lines = r.body().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).isEqualTo("operator,subscriber,class,first_seen,last_seen,flows,bytes");
        assertThat(lines[1]).matches("mobilink,sub-[0-9a-f]{16},BIS," + reportedAt + "," + reportedAt + ",1,\\d+");
        assertThat(api.get("/report/authority?format=csv&reveal=true").body()).contains("mobilink," + MSISDN + ",BIS,");
    }

    @ParameterizedTest
    @ValueSource(strings = {"format=xml", "reveal=yes"})
    void authorityReportRefusesABadParameterWith400(String query) throws Exception {
        assertJsonError(api.get("/report/authority?" + query), 400);
    }

    // ---- methods, paths, token, size ----

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "GET    | /reload  | POST",
        "DELETE | /clock   | GET, PUT",
        "POST   | /health  | GET",
        "PUT    | /metrics | GET",
        "POST   | /events  | GET"
    })
    void wrongMethodAnswers405WithAllow(String method, String path, String allow) throws Exception {
        HttpResponse<String> r = api.send(method, path, method.equals("GET") || method.equals("DELETE") ? null : "{}");

        JsonNode e = assertJsonError(r, 405);
        assertThat(r.headers().firstValue("Allow")).hasValue(allow);
        assertThat(e.path("error").asText()).isEqualTo(method + " is not allowed on " + path);
    }

    @Test
    void unknownPathAnswers404NamingTheEndpoints() throws Exception {
        JsonNode e = assertJsonError(api.get("/nope"), 404);

        assertThat(e.path("error").asText()).isEqualTo("no endpoint /nope");
        assertThat(e.path("expected").asText()).contains("/health", "/reload", "/report/authority");
    }

    @Test
    void bodyOver64KiBAnswers413() throws Exception {
        String big = "{\"jump\": \"PT1H\", \"pad\": \"" + "x".repeat(70 * 1024) + "\"}";

        assertJsonError(api.send("PUT", "/clock", big), 413);
        assertThat(gw.clock().instant()).isEqualTo(BEFORE_DEADLINE);
    }

    @Test
    void requestWithoutTheTokenAnswers401WithWwwAuthenticate() throws Exception {
        HttpResponse<String> r = new AdminClient(guarded).get("/health");

        assertJsonError(r, 401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"opgate\"");
    }

    @Test
    void requestWithAWrongTokenAnswers403() throws Exception {
        JsonNode e = assertJsonError(new AdminClient(guarded, "not-the-token-at-all").get("/health"), 403);

        assertThat(e.path("error").asText()).isEqualTo("wrong bearer token");
    }

    @Test
    void requestWithTheTokenAnswers200() throws Exception {
        HttpResponse<String> r = new AdminClient(guarded, TOKEN).get("/health");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("status").asText()).isEqualTo("ok");
    }
}
