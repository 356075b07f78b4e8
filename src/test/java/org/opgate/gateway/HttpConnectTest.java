package org.opgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opgate.testing.GatewayHarness.BBM_HOST;
import static org.opgate.testing.GatewayHarness.BEFORE_DEADLINE;
import static org.opgate.testing.GatewayHarness.BES_HOST;
import static org.opgate.testing.GatewayHarness.DEADLINE;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.gateway.enforce.Tunnel;
import org.opgate.policy.Verdict;
import org.opgate.testing.Await;
import org.opgate.testing.GatewayHarness;
import org.opgate.testing.LoopbackServer;
import org.opgate.testing.Wire;

/**
 * The http listener's CONNECT tunnels, driven by the JDK HttpClient (a real proxy client) and by
 * raw sockets where the client would hide what the gateway answered.
 */
final class HttpConnectTest {

    private static GatewayHarness gw;
    private static HttpClient client;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        gw = GatewayHarness.builder().start(dir);
        client = HttpClient.newBuilder()
                .proxy(ProxySelector.of(gw.http()))
                .sslContext(Wire.trustAll())
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @BeforeEach
    void reset() {
        gw.clock().set(BEFORE_DEADLINE);
        gw.clearRecords();
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
        return client.send(req, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bbmHostGetsTheSimnetPageThroughTheTunnel() throws Exception {
        HttpResponse<String> r = get("https://" + BBM_HOST + "/");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("<h1>BBM consumer app service</h1>", "for " + BBM_HOST);
        GatewayHarness.Decided d = gw.awaitDecision("http", BBM_HOST);
        assertThat(d.outcome().decision().verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(d.outcome().trafficClass()).isEqualTo("BBM");
        assertThat(d.outcome().flow().operator()).isEqualTo("mobilink");
    }

    @Test
    void besHostBeforeTheDeadlineGetsThePageAndIsRecordedAsNotified() throws Exception {
        HttpResponse<String> r = get("https://" + BES_HOST + ":3101/");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("<h1>BlackBerry Infrastructure (SRP relay)</h1>");
        GatewayHarness.Decided d = gw.awaitDecision("http", BES_HOST);
        assertThat(d.outcome().decision().verdict()).isEqualTo(Verdict.NOTIFY);
        assertThat(d.outcome().trafficClass()).isEqualTo("BES");
        assertThat(d.outcome().decision().policyId()).isEqualTo("pta-2015-bes");
    }

    @Test
    void besHostAtTheDeadlineIsRefusedWith403AndTheReason() throws Exception {
        gw.clock().set(DEADLINE);

        Wire.HttpReply r;
        try (Socket s = Wire.connect(gw.http())) {
            r = Wire.connectRequest(s, BES_HOST + ":3101");
            assertThat(Wire.awaitEnd(s)).isEqualTo("closed");
        }

        String reason = gw.awaitDecision("http", BES_HOST).outcome().decision().reason();
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("X-Opgate-Reason")).isEqualTo(reason);
        assertThat(r.header("Content-Type")).startsWith("text/plain");
        assertThat(r.body()).isEqualTo(reason + "\n");
        assertThat(reason).contains("Pakistan Telecommunication Authority");
    }

    @Test
    void besHostAtTheDeadlineFailsInTheJdkClient() {
        gw.clock().set(DEADLINE);

        // The JDK client reports a refused CONNECT as an IOException naming the status; the raw
        // socket test above reads the 403 itself.
        assertThatThrownBy(() -> get("https://" + BES_HOST + ":3101/"))
                .isInstanceOf(IOException.class).hasMessageContaining("403");
        assertThat(gw.awaitDecision("http", BES_HOST).outcome().decision().verdict()).isEqualTo(Verdict.BLOCK);
    }

    @Test
    void proxyAuthorizationUserNameIsTheSubscriberAndPicksTheOperatorByMsisdn() throws Exception {
        String auth = Base64.getEncoder().encodeToString("923331234567:secret".getBytes(StandardCharsets.UTF_8));
        try (Socket s = Wire.connect(gw.http())) {
            Wire.send(s, "CONNECT " + BBM_HOST + ":443 HTTP/1.1\r\nHost: " + BBM_HOST
                    + ":443\r\nProxy-Authorization: Basic " + auth + "\r\n\r\n");
            assertThat(Wire.readReply(s.getInputStream(), false).status()).isEqualTo(200);
        }

        GatewayHarness.Decided d = gw.awaitDecision("http", BBM_HOST);
        assertThat(d.outcome().flow().subscriber()).isEqualTo("923331234567");
        assertThat(d.outcome().flow().operator()).isEqualTo("ufone");
    }

    @Test
    void tlsThroughARawTunnelReachesTheServiceOfTheSni() throws Exception {
        try (Socket tunnel = Wire.connectTunnel(gw.http(), BBM_HOST + ":443");
             SSLSocket tls = Wire.tls(tunnel, BBM_HOST)) {
            // The peek saw the SNI: the flow learns it; same class, so the decision stands.
            var t = gw.awaitTunnel(x -> BBM_HOST.equals(x.outcome().flow().sni()), "with SNI " + BBM_HOST);
            assertThat(t.outcome().fronting()).isFalse();
            assertThat(t.outcome().decision().verdict()).isEqualTo(Verdict.ALLOW);

            Wire.HttpReply page = Wire.get(tls, BBM_HOST);

            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).contains("BBM consumer app service");
        }
    }

    @Test
    void serverThatSpeaksFirstIsHeardBeforeTheClientSendsAnything() throws Exception {
        try (LoopbackServer smtp = LoopbackServer.banner("220 smtp ready\r\n");
             Socket s = Wire.connectTunnel(gw.http(), smtp.target())) {
            byte[] banner = s.getInputStream().readNBytes(16);

            assertThat(new String(banner, StandardCharsets.US_ASCII)).isEqualTo("220 smtp ready\r\n");
            // And the tunnel carries the client's turn as well.
            Wire.send(s, "EHLO sim\r\n");
            assertThat(new String(s.getInputStream().readNBytes(10), StandardCharsets.US_ASCII)).isEqualTo("EHLO sim\r\n");
        }
    }

    @Test
    void upstreamThatResetsEndsTheTunnelAndLeavesTheRegistry() throws Exception {
        try (LoopbackServer rst = LoopbackServer.resetting();
             Socket s = Wire.connectTunnel(gw.http(), rst.target())) {
            int port = rst.address().getPort();
            Tunnel t = gw.awaitTunnel(x -> x.outcome().flow().port() == port, "to the resetting server");
            Wire.send(s, "hello");

            assertThat(Wire.awaitEnd(s)).isIn("closed", "reset");
            Await.until(() -> !gw.tunnels().tunnels().contains(t), "the tunnel to leave the registry");
            assertThat(t.endReason()).isEqualTo("upstream");
        }
    }

    @Test
    void bytesSentRightBehindTheConnectRequestReachTheUpstream() throws Exception {
        try (LoopbackServer echo = LoopbackServer.echo();
             Socket s = Wire.connect(gw.http())) {
            Wire.send(s, "CONNECT " + echo.target() + " HTTP/1.1\r\nHost: " + echo.target() + "\r\n\r\nearly");

            assertThat(Wire.readReply(s.getInputStream(), false).status()).isEqualTo(200);
            assertThat(new String(s.getInputStream().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("early");
        }
    }

    @Test
    void clientHalfCloseReachesTheUpstreamAndItsAnswerStillComesBack() throws Exception {
        try (LoopbackServer counter = LoopbackServer.start(InetAddress.getLoopbackAddress(), 0, c -> {
                 int n = c.getInputStream().readAllBytes().length;
                 c.getOutputStream().write(("got " + n + "\n").getBytes(StandardCharsets.US_ASCII));
             });
             Socket s = Wire.connectTunnel(gw.http(), counter.target())) {
            Wire.send(s, "12345");
            s.shutdownOutput();

            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("got 5\n");
        }
    }

    @Test
    void connectToABracketedIpv6LiteralReachesTheServer() throws Exception {
        try (LoopbackServer echo = LoopbackServer.echo(InetAddress.getByName("::1"));
             Socket s = Wire.connectTunnel(gw.http(), "[::1]:" + echo.address().getPort())) {
            Wire.send(s, "six");

            assertThat(new String(s.getInputStream().readNBytes(3), StandardCharsets.US_ASCII)).isEqualTo("six");
        }
    }

    @Test
    void clientSourceAddressPicksTheOperatorByPool() throws Exception {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress("127.2.0.9", 0));
            s.connect(gw.http(), Wire.READ_TIMEOUT_MILLIS);
            s.setSoTimeout(Wire.READ_TIMEOUT_MILLIS);

            assertThat(Wire.connectRequest(s, BBM_HOST + ":443").status()).isEqualTo(200);
        }
        GatewayHarness.Decided d = gw.awaitDecision("http", BBM_HOST);
        assertThat(d.outcome().flow().operator()).isEqualTo("ufone");
        assertThat(d.outcome().flow().subscriber()).isEqualTo("127.2.0.9");
    }

    @Test
    void clientOfNoOperatorIsRefusedWith403AndTheReason() throws Exception {
        Wire.HttpReply r;
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress("127.9.0.1", 0));
            s.connect(gw.http(), Wire.READ_TIMEOUT_MILLIS);
            s.setSoTimeout(Wire.READ_TIMEOUT_MILLIS);
            r = Wire.connectRequest(s, BBM_HOST + ":443");
        }

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("X-Opgate-Reason")).contains("operator unknown", "127.9.0.1");
    }
}
