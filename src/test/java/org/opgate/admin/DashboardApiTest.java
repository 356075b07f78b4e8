package org.opgate.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opgate.testing.AdminClient.json;
import static org.opgate.testing.GatewayHarness.BBM_HOST;
import static org.opgate.testing.GatewayHarness.BEFORE_DEADLINE;
import static org.opgate.testing.GatewayHarness.DEADLINE;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.scenario.ScenarioEvent;
import org.opgate.testing.AdminClient;
import org.opgate.testing.Await;
import org.opgate.testing.EventStream;
import org.opgate.testing.GatewayHarness;
import org.opgate.testing.Wire;

/**
 * The dashboard's side of the admin API over real HTTP: {@code GET /dashboard}, the tick events,
 * {@code PUT /clock} with {@code jump: next-event}, and the page's static files (public, typed,
 * cached). A second gateway has a bearer token.
 */
final class DashboardApiTest {

    private static final String TOKEN = "dashboard-api-token-for-tests";
    /** BIS blocked for Ufone only: the dashboard shows BIS in two rows. */
    private static final String BIS_UFONE = """
            policies:
              - id: bis-ufone
                class: BIS
                operators: [ufone]
                zone: Asia/Karachi
                phases:
                  - {name: closed, from: 2015-01-01T00:00, action: block}
            """;

    private static GatewayHarness gw;
    private static GatewayHarness guarded;
    private static AdminClient api;
    private static HttpClient http;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        gw = GatewayHarness.builder().admin().policies("bis-ufone.yaml", BIS_UFONE).start(dir.resolve("simulated"));
        guarded = GatewayHarness.builder().adminToken(TOKEN).start(dir.resolve("guarded"));
        api = new AdminClient(gw);
        http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Await.DEFAULT).build();
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
    void reset() {
        gw.clock().pause();
        gw.clock().set(BEFORE_DEADLINE);
    }

    @AfterEach
    void detach() {
        gw.stack().attachScenario(null);
    }

    private static JsonNode dashboard() throws Exception {
        HttpResponse<String> r = api.get("/dashboard");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    private static List<JsonNode> rowsOf(JsonNode phases, String trafficClass) {
        List<JsonNode> rows = new ArrayList<>();
        phases.forEach(r -> {
            if (r.path("class").asText().equals(trafficClass)) {
                rows.add(r);
            }
        });
        return rows;
    }

    private static HttpResponse<String> fetch(GatewayHarness h, String path, String ifNoneMatch) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(h.adminUri(path)).timeout(Await.DEFAULT);
        if (ifNoneMatch != null) {
            b.header("If-None-Match", ifNoneMatch);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    // ---- GET /dashboard ----

    @Test
    void dashboardShowsTheClockAndTheNextBoundaryWithWhatChanges() throws Exception {
        JsonNode d = dashboard();

        assertThat(d.path("clock").path("instant").asText()).isEqualTo(BEFORE_DEADLINE.toString());
        assertThat(d.path("clock").path("paused").asBoolean()).isTrue();
        assertThat(d.path("zone").asText()).isEqualTo("Asia/Karachi");
        assertThat(d.path("next").path("at").asText()).isEqualTo(DEADLINE.toString());
        assertThat(d.path("next").path("kind").asText()).isEqualTo("boundary");
        assertThat(d.path("next").path("label").asText()).isEqualTo("BES notify → block");
        assertThat(d.path("scenario").isNull()).isTrue();
    }

    @Test
    void dashboardShowsThePhaseInForcePerClassWithOperatorsInTheSamePhaseSharingARow() throws Exception {
        JsonNode phases = dashboard().path("phases");

        List<JsonNode> bes = rowsOf(phases, "BES");
        assertThat(bes).hasSize(1);
        assertThat(bes.get(0).path("operators").toString()).isEqualTo("[\"all\"]");
        assertThat(bes.get(0).path("verdict").asText()).isEqualTo("notify");
        assertThat(bes.get(0).path("phase").asText()).isEqualTo("notice");
        assertThat(bes.get(0).path("until").asText()).isEqualTo(DEADLINE.toString());
        List<JsonNode> bis = rowsOf(phases, "BIS");
        assertThat(bis).extracting(r -> r.path("operators").toString() + " " + r.path("verdict").asText())
                .containsExactlyInAnyOrder("[\"ufone\"] block", "[\"mobilink\",\"telenor\",\"zong\",\"warid\"] allow");
        assertThat(rowsOf(phases, "BBM")).singleElement().satisfies(r -> {
            assertThat(r.path("verdict").asText()).isEqualTo("allow");
            assertThat(r.path("policy").isNull()).isTrue();
        });
    }

    @Test
    void dashboardCountsTheGatewaysDecisionsPerClassAndVerdict() throws Exception {
        long before = dashboard().path("counters").path("classes").path("BBM").path("allow").asLong();

        try (Socket s = Wire.connect(gw.http())) {
            assertThat(Wire.connectRequest(s, BBM_HOST + ":443").status()).isEqualTo(200);
        }

        JsonNode counters = Await.value(() -> {
            try {
                JsonNode c = dashboard().path("counters");
                return c.path("classes").path("BBM").path("allow").asLong() == before + 1 ? c : null;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "the BBM allow counter to grow by one");
        assertThat(counters.path("source").asText()).isEqualTo("gateway");
        assertThat(counters.path("outcomes").toString()).isEqualTo("[\"allow\",\"notify\",\"block\",\"cut\"]");
        assertThat(counters.path("groups").path("block").asText()).isEqualTo("stopped");
        assertThat(dashboard().path("decisions").get(0).path("flow").path("host").asText()).isEqualTo(BBM_HOST);
    }

    @Test
    void dashboardTimelineListsThePhaseBoundariesMarkingThosePassed() throws Exception {
        JsonNode timeline = dashboard().path("timeline");

        assertThat(timeline).extracting(t -> t.path("at").asText().substring(0, 10) + " " + t.path("name").asText() + " "
                + t.path("passed").asBoolean())
                .containsExactly("2014-12-31 BIS allow → block true", "2015-07-23 BES allow → notify true",
                        "2015-11-30 BES notify → block false");
    }

    @Test
    void withAScenarioTheDashboardShowsItsTimelineSessionsAndNextEvent() throws Exception {
        Instant notice = BEFORE_DEADLINE.minus(Duration.ofDays(30));
        Instant extension = BEFORE_DEADLINE.plusMillis(500);
        gw.stack().attachScenario(new FixedScenarioFeed(List.of(
                new ScenarioEvent(notice, "notice", "the PTA's notice", List.of("https://example.org/notice")),
                new ScenarioEvent(extension, "extension", "deadline moved", List.of())),
                1, Map.of("BES", Map.of("completed", 7L, "refused", 2L))));

        JsonNode d = dashboard();

        assertThat(d.path("scenario").path("title").asText()).isEqualTo("A test scenario");
        assertThat(d.path("scenario").path("eventsPassed").asInt()).isEqualTo(1);
        assertThat(d.path("timeline")).extracting(t -> t.path("name").asText() + " " + t.path("passed").asBoolean())
                .containsExactly("notice true", "extension false");
        assertThat(d.path("timeline").get(0).path("sources").get(0).asText()).isEqualTo("https://example.org/notice");
        assertThat(d.path("counters").path("source").asText()).isEqualTo("scenario");
        assertThat(d.path("counters").path("classes").path("BES").toString())
                .isEqualTo("{\"completed\":7,\"refused\":2,\"cut\":0,\"error\":0}");
        assertThat(d.path("next").path("kind").asText()).isEqualTo("event");
        assertThat(d.path("next").path("label").asText()).isEqualTo("extension");
    }

    // ---- PUT /clock {"jump": "next-event"} ----

    @Test
    void jumpToTheNextEventWithoutAScenarioLandsOnTheNextBoundary() throws Exception {
        HttpResponse<String> r = api.send("PUT", "/clock", "{\"jump\": \"next-event\"}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).path("instant").asText()).isEqualTo(DEADLINE.toString());
    }

    @Test
    void jumpToTheNextEventLandsOnAScenarioEventBeforeTheBoundary() throws Exception {
        Instant extension = BEFORE_DEADLINE.plusMillis(500);
        gw.stack().attachScenario(new FixedScenarioFeed(List.of(new ScenarioEvent(extension, "extension", "", List.of())), 0, Map.of()));

        HttpResponse<String> r = api.send("PUT", "/clock", "{\"jump\": \"next-event\"}");

        assertThat(json(r).path("instant").asText()).isEqualTo(extension.toString());
    }

    @Test
    void jumpToTheNextEventWhenNoneIsLeftAnswers409() throws Exception {
        gw.clock().set(DEADLINE);

        HttpResponse<String> r = api.send("PUT", "/clock", "{\"jump\": \"next-event\"}");

        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(json(r).path("error").asText()).startsWith("no scenario event or phase boundary after");
        assertThat(gw.clock().instant()).isEqualTo(DEADLINE);
    }

    // ---- GET /events?types=tick ----

    @Test
    void eventsWithTypeTickStreamDashboardSnapshots() throws Exception {
        try (EventStream events = new EventStream(gw.admin(), "/events?types=tick", null)) {
            JsonNode tick = events.next("tick");

            assertThat(tick.path("clock").path("instant").asText()).isEqualTo(BEFORE_DEADLINE.toString());
            assertThat(tick.path("phases").isArray()).isTrue();
            assertThat(events.next("tick").path("next").path("at").asText()).isEqualTo(DEADLINE.toString());
        }
    }

    @Test
    void eventsWithAnUnknownTypeAnswers400() throws Exception {
        HttpResponse<String> r = api.get("/events?types=tick,gossip");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("error").asText()).isEqualTo("event type 'gossip' is not known");
        assertThat(json(r).path("expected").asText()).contains("decision, cut, reload, clock, tick");
    }

    // ---- the page ----

    @Test
    void pageIsServedWithoutTheTokenAsHtmlThatIsRevalidated() throws Exception {
        HttpResponse<String> r = fetch(guarded, "/", null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(r.headers().firstValue("ETag")).isPresent();
        assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'",
                "connect-src 'self'");
        assertThat(r.body()).contains("<script src=\"/ui/uplot/1.6.30/uPlot.iife.min.js\" defer></script>");
    }

    @Test
    void pageWithAMatchingETagAnswers304() throws Exception {
        String etag = fetch(gw, "/ui/dashboard.js", null).headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> r = fetch(gw, "/ui/dashboard.js", etag);

        assertThat(r.statusCode()).isEqualTo(304);
        assertThat(r.body()).isEmpty();
    }

    @Test
    void uplotIsServedFromTheJarAndCachedForGood() throws Exception {
        HttpResponse<String> r = fetch(gw, "/ui/uplot/1.6.30/uPlot.iife.min.js", null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(r.body()).contains("uPlot");
    }

    @Test
    void styleSheetIsServedAsCss() throws Exception {
        HttpResponse<String> r = fetch(gw, "/ui/dashboard.css", null);

        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void unknownFileUnderUiAnswers404() throws Exception {
        HttpResponse<String> r = fetch(gw, "/ui/nope.js", null);

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).path("expected").asText()).isEqualTo("/ and the dashboard's files under /ui/");
    }

    @Test
    void pagePostAnswers405() throws Exception {
        HttpResponse<String> r = api.send("POST", "/", "{}");

        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void dashboardDataStillNeedsTheToken() throws Exception {
        assertThat(new AdminClient(guarded).get("/dashboard").statusCode()).isEqualTo(401);
        assertThat(new AdminClient(guarded, TOKEN).get("/dashboard").statusCode()).isEqualTo(200);
    }
}
