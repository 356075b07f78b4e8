package org.opgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opgate.testing.GatewayHarness.BBM_HOST;
import static org.opgate.testing.GatewayHarness.BEFORE_DEADLINE;
import static org.opgate.testing.GatewayHarness.BES_HOST;
import static org.opgate.testing.GatewayHarness.DEADLINE;

import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.gateway.enforce.Tunnel;
import org.opgate.policy.Verdict;
import org.opgate.testing.AdminClient;
import org.opgate.testing.Await;
import org.opgate.testing.GatewayHarness;
import org.opgate.testing.PrometheusText;
import org.opgate.testing.Socks5Client;
import org.opgate.testing.Wire;

/**
 * Scrapes {@code GET /metrics} with the JDK HttpClient after real traffic (CONNECT and SOCKS5
 * tunnels for BBM and BES before and after the BES deadline, a blocked flow, an unknown host, a
 * cut, reloads good and bad) and checks the Prometheus text against what was sent. The traffic
 * runs once, in {@link #sendTraffic}; three scrapes are kept: while a BES tunnel is open before
 * the deadline, and after everything has closed.
 */
final class MetricsScrapeTest {

    /** A subscriber by MSISDN (Ufone's prefix 9233): the number must never become a label. */
    private static final String MSISDN = "923312345678";
    /** A source address in Ufone's pool. */
    private static final String UFONE_CLIENT = "127.2.0.9";
    private static final String UNKNOWN_HOST = "nosuch.opgate.invalid";

    private static GatewayHarness gw;
    private static AdminClient api;
    /** Flows sent, by operator|class|verdict|listener. */
    private static final Map<String, Integer> flowsSent = new LinkedHashMap<>();
    /** Plaintext bytes echoed through TLS tunnels, by operator|class (each way: sent = received). */
    private static final Map<String, Long> echoed = new LinkedHashMap<>();
    private static PrometheusText whileBesOpen;
    private static PrometheusText afterAll;
    private static HttpResponse<String> scrape;

    @BeforeAll
    static void sendTraffic(@TempDir Path dir) throws Exception {
        gw = GatewayHarness.builder().admin().policies("extra.yaml", "policies: []\n").start(dir);
        api = new AdminClient(gw);

        tlsEcho(Wire.connectTunnel(gw.http(), BBM_HOST + ":443"), BBM_HOST, "mobilink", "BBM");
        flow("mobilink", "BBM", "allow", "http");
        tlsEcho(Wire.connectTunnel(gw.http(), BES_HOST + ":3101"), BES_HOST, "mobilink", "BES");
        flow("mobilink", "BES", "notify", "http");
        tlsEcho(Socks5Client.tunnel(gw.socks5(), BBM_HOST, 443), BBM_HOST, "mobilink", "BBM");
        flow("mobilink", "BBM", "allow", "socks5");
        tlsEcho(connectFrom(UFONE_CLIENT, BBM_HOST + ":443", null), BBM_HOST, "ufone", "BBM");
        flow("ufone", "BBM", "allow", "http");
        tlsEcho(connectFrom("127.0.0.1", BBM_HOST + ":443", MSISDN), BBM_HOST, "ufone", "BBM");
        flow("ufone", "BBM", "allow", "http");
        try (Socket s = Wire.connect(gw.http())) {
            assertThat(Wire.connectRequest(s, UNKNOWN_HOST + ":443").status()).isEqualTo(502);
        }
        flow("mobilink", "OTHER", "allow", "http");

        // The tunnels so far are closed by their clients; once they leave the registry, the held
        // BES tunnel is the only open one while its scrape is taken.
        gw.awaitNoTunnels();
        try (Socket raw = Wire.connectTunnel(gw.http(), BES_HOST + ":3101");
             SSLSocket tls = Wire.tls(raw, BES_HOST)) {
            Wire.echo(tls, "held open until the deadline");
            echoed.merge("mobilink|BES", (long) "held open until the deadline".length(), Long::sum);
            flow("mobilink", "BES", "notify", "http");
            gw.awaitTunnel(t -> "BES".equals(t.outcome().trafficClass()), "the held BES tunnel");
            whileBesOpen = api.metrics();

            gw.clock().set(DEADLINE);
            assertThat(Wire.awaitEnd(raw)).isIn("closed", "reset");
        }
        try (Socket s = Wire.connect(gw.http())) {
            assertThat(Wire.connectRequest(s, BES_HOST + ":3101").status()).isEqualTo(403);
        }
        flow("mobilink", "BES", "block", "http");
        tlsEcho(Wire.connectTunnel(gw.http(), BBM_HOST + ":443"), BBM_HOST, "mobilink", "BBM");
        flow("mobilink", "BBM", "allow", "http");

        assertThat(api.send("POST", "/reload", null).statusCode()).isEqualTo(200);
        gw.writeConfigFile("policies/extra.yaml", "policies: [\n");
        assertThat(api.send("POST", "/reload", null).statusCode()).isEqualTo(422);
        gw.writeConfigFile("policies/extra.yaml", "policies: []\n");

        gw.awaitNoTunnels();
        Await.until(() -> gw.closedTunnels().size() == 7, "seven tunnels to be reported closed");
        scrape = api.get("/metrics");
        afterAll = PrometheusText.parse(scrape.body());
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    private static void flow(String operator, String cls, String verdict, String listener) {
        flowsSent.merge(operator + "|" + cls + "|" + verdict + "|" + listener, 1, Integer::sum);
    }

    /** A CONNECT tunnel from {@code source} through the http listener, with an MSISDN as proxy user unless null. */
    private static Socket connectFrom(String source, String target, String msisdn) throws Exception {
        Socket s = Wire.connectFrom(InetAddress.getByName(source), gw.http());
        Wire.HttpReply r = msisdn == null ? Wire.connectRequest(s, target) : Wire.connectRequest(s, target, msisdn);
        assertThat(r.status()).as("CONNECT %s from %s", target, source).isEqualTo(200);
        return s;
    }

    /** TLS over the tunnel, one echo, then the client closes. */
    private static void tlsEcho(Socket raw, String sni, String operator, String cls) throws Exception {
        String message = "echo through a " + cls + " tunnel of " + operator;
        try (raw; SSLSocket tls = Wire.tls(raw, sni)) {
            Wire.echo(tls, message);
        }
        echoed.merge(operator + "|" + cls, (long) message.length(), Long::sum);
    }

    @Test
    void scrapeIsPrometheusTextOnTheAdminPort() {
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
        assertThat(afterAll.samples(n -> n.startsWith("opgate_"))).isNotEmpty();
        assertThat(afterAll.samples(n -> n.startsWith("jvm_"))).isNotEmpty();
        assertThat(afterAll.samples(n -> n.startsWith("netty_"))).isNotEmpty();
    }

    /** The allocator the metrics report is the one the tunnels' buffers came from. */
    @Test
    void allocatorMetricsReportTheMemoryTheTunnelsBuffersCameFrom() {
        assertThat(afterAll.sum("netty_allocator_memory_used",
                "allocator_type", "PooledByteBufAllocator", "memory_type", "direct")).isPositive();
    }

    @Test
    void flowsTotalPerOperatorClassVerdictAndListenerEqualsTheFlowsSent() {
        Map<String, Integer> scraped = new LinkedHashMap<>();
        for (PrometheusText.Sample s : afterAll.samples("opgate_flows_total")) {
            Map<String, String> l = s.labels();
            assertThat(l.keySet()).containsExactlyInAnyOrder("operator", "class", "verdict", "listener");
            scraped.put(l.get("operator") + "|" + l.get("class") + "|" + l.get("verdict") + "|" + l.get("listener"),
                    (int) s.value());
        }
        assertThat(scraped).isEqualTo(flowsSent);
    }

    @Test
    void bytesTotalIsAtLeastThePlaintextEchoedAndEqualsWhatTheTunnelsCounted() {
        for (var e : echoed.entrySet()) {
            String[] k = e.getKey().split("\\|");
            String operator = k[0];
            String cls = k[1];
            List<Tunnel> tunnels = gw.closedTunnels().stream()
                    .filter(t -> t.outcome().flow().operator().equals(operator) && t.outcome().trafficClass().equals(cls))
                    .toList();
            double up = afterAll.value("opgate_bytes_total", "operator", operator, "class", cls, "direction", "up");
            double down = afterAll.value("opgate_bytes_total", "operator", operator, "class", cls, "direction", "down");

            // TLS records carry the echoed text plus the handshake, so the tunnel relays more.
            assertThat(up).as("up %s", e.getKey()).isGreaterThanOrEqualTo(e.getValue());
            assertThat(down).as("down %s", e.getKey()).isGreaterThanOrEqualTo(e.getValue());
            assertThat(up).as("up %s", e.getKey()).isEqualTo(tunnels.stream().mapToLong(Tunnel::bytesUp).sum());
            assertThat(down).as("down %s", e.getKey()).isEqualTo(tunnels.stream().mapToLong(Tunnel::bytesDown).sum());
        }
    }

    @Test
    void refusalOfAnUnknownHostIsCountedByReason() {
        assertThat(afterAll.value("opgate_refusals_total", "listener", "http", "reason", "unknown-host")).isEqualTo(1);
        assertThat(afterAll.sum("opgate_refusals_total")).isEqualTo(1);
    }

    @Test
    void tunnelCutAtTheDeadlineIsCounted() {
        assertThat(whileBesOpen.value("opgate_tunnels_cut_total", "operator", "mobilink", "class", "BES")).isZero();
        assertThat(afterAll.value("opgate_tunnels_cut_total", "operator", "mobilink", "class", "BES")).isEqualTo(1);
        assertThat(afterAll.sum("opgate_tunnels_cut_total")).isEqualTo(1);
    }

    @Test
    void tunnelsActiveCountsTheOpenTunnelsAtScrapeTime() {
        assertThat(whileBesOpen.value("opgate_tunnels_active", "operator", "mobilink", "class", "BES")).isEqualTo(1);
        assertThat(whileBesOpen.sum("opgate_tunnels_active")).isEqualTo(1);
        assertThat(afterAll.samples("opgate_tunnels_active")).isNotEmpty()
                .allSatisfy(s -> assertThat(s.value()).as(s.toString()).isZero());
    }

    @Test
    void configReloadsAreCountedByResult() {
        assertThat(afterAll.value("opgate_config_reloads_total", "result", "ok")).isEqualTo(1);
        assertThat(afterAll.value("opgate_config_reloads_total", "result", "error")).isEqualTo(1);
    }

    @Test
    void classifyTimerCountsEveryDecidedFlow() {
        int flows = flowsSent.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(afterAll.value("opgate_classify_seconds_count")).isEqualTo(flows);
        assertThat(afterAll.samples("opgate_classify_seconds").stream().map(s -> s.labels().get("quantile")))
                .containsExactlyInAnyOrder("0.5", "0.9", "0.99");
    }

    @Test
    void clockGaugeIsTheSimulatedClock() {
        assertThat(whileBesOpen.value("opgate_clock_seconds")).isEqualTo(seconds(BEFORE_DEADLINE));
        assertThat(afterAll.value("opgate_clock_seconds")).isEqualTo(seconds(DEADLINE));
    }

    @Test
    void policyPhaseGaugeFollowsTheClock() {
        String[] bes = {"policy", "pta-2015-bes", "class", "BES"};
        assertThat(whileBesOpen.value("opgate_policy_phase", bes)).isZero();
        assertThat(whileBesOpen.value("opgate_policy_next_boundary_seconds", bes)).isEqualTo(1.0);
        assertThat(afterAll.value("opgate_policy_phase", bes)).isEqualTo(1);
        assertThat(afterAll.value("opgate_policy_next_boundary_seconds", bes)).isNaN();
    }

    private static double seconds(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }

    /** Label values every opgate series may carry, by label name: bounded sets only. */
    private static Map<String, Set<String>> boundedLabels() {
        var cfg = gw.gateway().runtime().config();
        Map<String, Set<String>> m = new LinkedHashMap<>();
        m.put("operator", Stream.concat(cfg.operators().stream().map(o -> o.id()), Stream.of("unknown"))
                .collect(Collectors.toSet()));
        m.put("class", Stream.concat(cfg.rules().classes().stream().map(c -> c.name()), Stream.of("OTHER"))
                .collect(Collectors.toSet()));
        m.put("verdict", Stream.of(Verdict.values()).map(Verdict::configName).collect(Collectors.toSet()));
        m.put("listener", cfg.listeners().stream().map(l -> l.name()).collect(Collectors.toSet()));
        m.put("direction", Set.of("up", "down"));
        Set<String> reasons = Set.of("bad-request", "header-too-large", "no-sni", "not-tls", "client-hello-too-large",
                "handshake-timeout", "limit-listener", "limit-client", "unknown-host", "not-allowed", "connect-failed",
                "unsupported-command", "operator-unknown", "blocked-while-connecting");
        m.put("reason", reasons);
        m.put("limit", reasons);
        m.put("result", Set.of("ok", "error"));
        m.put("policy", cfg.policies().stream().map(p -> p.id()).collect(Collectors.toSet()));
        m.put("quantile", Set.of("0.5", "0.9", "0.99"));
        return m;
    }

    @Test
    void everyOpgateLabelComesFromABoundedSetAndNamesNoHostAddressOrSubscriber() {
        Map<String, Set<String>> bounded = boundedLabels();
        Set<String> meterTags = new java.util.HashSet<>(Set.of("quantile"));
        for (GatewayMeters m : GatewayMeters.values()) {
            meterTags.addAll(m.tags());
        }
        Pattern address = Pattern.compile(".*(\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|:[0-9a-f]*:).*");
        List<String> forbidden = List.of(BBM_HOST, BES_HOST, UNKNOWN_HOST, MSISDN, UFONE_CLIENT, "127.0.0.1",
                "blackberry.com");
        List<PrometheusText.Sample> series = new ArrayList<>(whileBesOpen.samples(n -> n.startsWith("opgate_")));
        series.addAll(afterAll.samples(n -> n.startsWith("opgate_")));
        assertThat(series).hasSizeGreaterThan(20);
        Predicate<String> anyForbidden = v -> forbidden.stream().anyMatch(v::contains) || address.matcher(v).matches();
        for (PrometheusText.Sample s : series) {
            for (var label : s.labels().entrySet()) {
                assertThat(meterTags).as("label of %s", s).contains(label.getKey());
                assertThat(bounded.get(label.getKey())).as("value of %s in %s", label.getKey(), s).contains(label.getValue());
                assertThat(anyForbidden.test(label.getValue())).as("%s names a host, address or subscriber", s).isFalse();
            }
        }
    }
}
