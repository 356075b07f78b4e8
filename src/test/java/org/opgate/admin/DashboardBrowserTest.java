package org.opgate.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opgate.testing.GatewayHarness.BBM_HOST;
import static org.opgate.testing.GatewayHarness.BEFORE_DEADLINE;
import static org.opgate.testing.GatewayHarness.BES_HOST;
import static org.opgate.testing.GatewayHarness.DEADLINE;
import static org.opgate.testing.GatewayHarness.NOTICE;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.support.ui.Select;
import org.opgate.scenario.ScenarioEvent;
import org.opgate.testing.Await;
import org.opgate.testing.Browser;
import org.opgate.testing.GatewayHarness;
import org.opgate.testing.Wire;

/**
 * The dashboard in a real browser (Debian's chromium, headless, through chromedriver) against a
 * real gateway with its admin API: it loads without console errors, its clock follows the
 * gateway clock, its counters follow real traffic, and its controls move the clock. A second
 * gateway runs on the real clock (the controls are refused), a third with a bearer token. The
 * last test saves {@code target/screenshots/dashboard.png}.
 */
final class DashboardBrowserTest {

    private static final String TOKEN = "dashboard-token-for-tests";
    private static final String BIS_HOST = "mail.bis.na.blackberry.com";
    private static final Path SCREENSHOT = Path.of("target", "screenshots", "dashboard.png");
    private static final Path SCENARIO_SCREENSHOT = Path.of("target", "screenshots", "dashboard-scenario.png");

    private static Browser browser;
    private static GatewayHarness gw;
    private static GatewayHarness real;
    private static GatewayHarness guarded;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        browser = Browser.start();
        gw = GatewayHarness.builder().admin().start(dir.resolve("simulated"));
        real = GatewayHarness.builder().realClock().admin().start(dir.resolve("real"));
        guarded = GatewayHarness.builder().adminToken(TOKEN).start(dir.resolve("guarded"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        for (GatewayHarness h : new GatewayHarness[] {gw, real, guarded}) {
            if (h != null) {
                h.close();
            }
        }
    }

    @BeforeEach
    void reset() {
        browser.consoleErrors(); // drained: each test sees only its own page's errors
        gw.clock().pause();
        gw.clock().setRate(1);
        gw.clock().set(BEFORE_DEADLINE);
        open(gw, "/");
    }

    /** Opens {@code path} of {@code h}'s admin server and waits for the first snapshot to render. */
    private static void open(GatewayHarness h, String path) {
        browser.open(h.adminUri(path));
        awaitTicks(1);
    }

    private static int ticks() {
        Object n = browser.script("return Number(document.body.dataset.ticks || 0)");
        return ((Number) n).intValue();
    }

    /** Waits until the page has rendered {@code more} further snapshots from the server. */
    private static void awaitTicks(int more) {
        int from = ticks();
        browser.await(d -> ticks() >= from + more, more + " more dashboard snapshots");
    }

    private static String clockText() {
        return browser.text("clock-date") + " " + browser.text("clock");
    }

    private static long count(String trafficClass, String outcome) {
        // Read in the page in one step: the table is rebuilt on every snapshot.
        Object n = browser.script("const c = document.querySelector(\"#counters td[data-class='\" + arguments[0]"
                + " + \"'][data-outcome='\" + arguments[1] + \"']\"); return c ? Number(c.dataset.count) : -1;",
                trafficClass, outcome);
        return ((Number) n).longValue();
    }

    private static void connectBbm(String from) throws IOException {
        try (Socket s = Wire.connectFrom(InetAddress.getByName(from), gw.http())) {
            assertThat(Wire.connectRequest(s, BBM_HOST + ":443").status()).isEqualTo(200);
        }
    }

    @Test
    void pageLoadsWithoutConsoleErrors() {
        awaitTicks(2);

        assertThat(browser.consoleErrors()).isEmpty();
        assertThat(browser.text("title")).contains("version " + gw.gateway().runtime().config().version());
        assertThat(browser.all("#chart canvas")).isNotEmpty();
        assertThat(browser.text("conn")).isEqualTo("live");
    }

    @Test
    void clockOnThePageShowsTheGatewayClockInThePolicyZone() {
        // BEFORE_DEADLINE is 2015-11-30T23:59:59+05:00 (Asia/Karachi).
        assertThat(clockText()).isEqualTo("Mon 30 Nov 2015 23:59:59");
        assertThat(browser.text("zone")).isEqualToIgnoringCase("Asia/Karachi (UTC+05:00)");
        assertThat(browser.text("clock-state")).isEqualToIgnoringCase("paused");
    }

    @Test
    void resumeRunsTheClockAndThePageClockAdvances() {
        String before = clockText();

        browser.byId("btn-resume").click();

        Await.until(() -> !gw.clock().isPaused(), "the gateway clock to run");
        browser.await(d -> !clockText().equals(before), "the page clock to advance from " + before);
        assertThat(browser.text("clock-state")).isEqualToIgnoringCase("running");
    }

    @Test
    void pauseStopsTheClock() {
        gw.clock().resume();
        browser.await(d -> "false".equals(browser.script("return document.body.dataset.paused")), "the page to see it run");

        browser.byId("btn-pause").click();

        Await.until(() -> gw.clock().isPaused(), "the gateway clock to pause");
        browser.await(d -> "true".equals(browser.script("return document.body.dataset.paused")), "the page to see it paused");
        String first = clockText();
        awaitTicks(2);
        String second = clockText();
        assertThat(second).isEqualTo(first);
        assertThat(browser.text("clock-state")).isEqualToIgnoringCase("paused");
    }

    @Test
    void speedSetsTheClockRate() {
        new Select(browser.byId("speed")).selectByValue("86400");

        Await.until(() -> gw.clock().rate() == 86400, "the gateway clock to run at 86400");
        browser.await(d -> browser.text("clock-rate").startsWith("×86,400"), "the page to show the new speed");
    }

    @Test
    void stepJumpsToTheNextPhaseBoundary() {
        assertThat(browser.text("next-label")).isEqualTo("BES notify → block");

        browser.byId("btn-step").click();

        Await.until(() -> gw.clock().instant().equals(DEADLINE), "the gateway clock to reach the deadline");
        browser.await(d -> clockText().equals("Tue 1 Dec 2015 00:00:00"), "the page clock to show the deadline");
        browser.await(d -> browser.text("next-label").equals("No boundary ahead"), "no boundary left after the deadline");
        assertThat(browser.text("control-message")).startsWith("Stepped to");
    }

    @Test
    void countersChangeAfterTrafficThroughTheGateway() throws IOException {
        long before = count("BBM", "allow");

        connectBbm("127.0.0.1");
        connectBbm("127.2.0.1");

        browser.await(d -> count("BBM", "allow") == before + 2, "the BBM allow counter to grow by 2 from " + before);
        browser.await(d -> browser.text("decisions").contains(BBM_HOST + ":443"), "the decision to be listed");
    }

    @Test
    void withAScenarioThePageShowsItsTitleTimelineAndSessions() throws IOException {
        gw.stack().attachScenario(new FixedScenarioFeed(List.of(
                new ScenarioEvent(NOTICE, "PTA notice", "operators tell BES customers", List.of("https://www.dawn.com/")),
                new ScenarioEvent(DEADLINE, "deadline", "BES closed", List.of())),
                1, Map.of("BES", Map.of("completed", 40L, "refused", 12L, "cut", 3L))));
        try {
            awaitTicks(1);
            browser.await(d -> browser.text("title").startsWith("A test scenario — 1 of 2 events passed"), "the scenario title");

            assertThat(browser.text("timeline-title")).isEqualTo("Scenario timeline");
            assertThat(browser.text("timeline")).contains("PTA notice", "www.dawn.com", "deadline");
            assertThat(count("BES", "completed")).isEqualTo(40);
            assertThat(count("BES", "cut")).isEqualTo(3);
            assertThat(browser.text("next-kind")).isEqualToIgnoringCase("scenario event");
            assertThat(browser.consoleErrors()).isEmpty();
            browser.screenshot(SCENARIO_SCREENSHOT);
        } finally {
            gw.stack().attachScenario(null);
        }
    }

    @Test
    void realClockRefusesTheControlsAndThePageSaysSo() {
        open(real, "/");
        assertThat(browser.text("clock-state")).isEqualToIgnoringCase("real clock");

        browser.byId("btn-pause").click();

        browser.await(d -> browser.byId("control-message").isDisplayed(), "the refusal to show");
        assertThat(browser.text("control-message")).startsWith("Refused (409): the gateway clock is real and cannot be moved");
        assertThat(real.gateway().clock().isPaused()).isFalse();
        assertThat(browser.consoleErrors()).allMatch(e -> e.contains("409 (Conflict)"), "only the refused PUT /clock");
    }

    @Test
    void tokenInTheFragmentOpensAGuardedDashboardAndLeavesTheAddressBar() {
        open(guarded, "/#token=" + TOKEN);

        assertThat(browser.url()).doesNotContain(TOKEN);
        assertThat(browser.text("conn")).isEqualTo("live");
        assertThat(browser.byId("token-box").isDisplayed()).isFalse();
        assertThat(browser.text("clock")).matches("\\d\\d:\\d\\d:\\d\\d");
    }

    @Test
    void guardedDashboardWithoutATokenAsksForIt() {
        browser.open(guarded.adminUri("/"));
        browser.script("sessionStorage.clear()");
        browser.open(guarded.adminUri("/"));

        browser.await(d -> browser.byId("token-box").isDisplayed(), "the token form to show");
        browser.byId("token-input").sendKeys(TOKEN);
        browser.byId("token-form").submit();

        browser.await(d -> "live".equals(browser.text("conn")), "the stream to connect with the typed token");
        browser.consoleErrors(); // the 401 before the token is expected; drained so later tests start clean
    }

    /**
     * Runs the clock across the BES deadline at one simulated hour per second while BBM and BES
     * flows go through the gateway from several operators, then saves the screenshot.
     */
    @Test
    void screenshotAcrossTheDeadlineIsSaved() throws Exception {
        gw.clock().set(DEADLINE.minus(Duration.ofHours(3)));
        browser.byId("btn-resume").click();
        new Select(browser.byId("speed")).selectByValue("3600");
        Await.until(() -> gw.clock().rate() == 3600 && !gw.clock().isPaused(), "the clock to run at 3600");
        String[] sources = {"127.0.0.1", "127.2.0.1", "127.3.0.1", "127.4.0.1"};
        // One BES tunnel held open across the deadline (the deadline cuts it), a few short ones
        // before it (simnet's relay, like BlackBerry's, drops an SRP id past 5 connections a
        // minute), and refused attempts after it.
        try (Socket held = Wire.connectTunnel(gw.http(), BES_HOST + ":3101")) {
            int besBefore = 0;
            for (int i = 0; gw.clock().instant().isBefore(DEADLINE.plus(Duration.ofHours(2))); i++) {
                String from = sources[i % sources.length];
                for (String each : sources) {
                    connectBbm(each);
                }
                try (Socket s = Wire.connectFrom(InetAddress.getByName(from), gw.http())) {
                    assertThat(Wire.connectRequest(s, BIS_HOST + ":443").status()).isEqualTo(200);
                }
                boolean before = gw.clock().instant().isBefore(DEADLINE);
                if (!before || besBefore++ < 3) {
                    try (Socket s = Wire.connectFrom(InetAddress.getByName(from), gw.http())) {
                        Wire.connectRequest(s, BES_HOST + ":3101");
                    }
                }
                awaitTicks(1);
            }
        }
        browser.byId("btn-pause").click();
        browser.await(d -> "true".equals(browser.script("return document.body.dataset.paused")), "the page to see it paused");
        // The whole page in one picture: a window as tall as the page.
        browser.resize(1600, ((Number) browser.script("return document.documentElement.scrollHeight")).intValue());
        awaitTicks(1);

        browser.screenshot(SCREENSHOT);

        assertThat(SCREENSHOT).isNotEmptyFile();
        assertThat(count("BES", "block")).isPositive();
        assertThat(count("BES", "cut")).isEqualTo(1);
        assertThat(browser.consoleErrors()).isEmpty();
    }
}
