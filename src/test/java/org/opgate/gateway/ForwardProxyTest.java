package org.opgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opgate.testing.GatewayHarness.WEB_HOST;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.policy.Verdict;
import org.opgate.testing.Await;
import org.opgate.testing.GatewayHarness;
import org.opgate.testing.LoopbackServer;
import org.opgate.testing.Wire;

/**
 * Absolute-URI forward requests on the http listener: one decision per request, keep-alive
 * across requests, and a refusal that leaves the connection usable. A test policy blocks BIS
 * from 2016-01-01 (Asia/Karachi).
 */
final class ForwardProxyTest {

    private static final String PUSH_HOST = "pushapi.na.blackberry.com";
    private static final Instant BIS_BLOCK = OffsetDateTime.parse("2016-01-01T00:00+05:00").toInstant();
    private static final String POLICIES = """
            policies:
              - id: test-bis-block
                class: BIS
                zone: Asia/Karachi
                authority: the test authority
                phases:
                  - from: 2016-01-01T00:00
                    action: block
            """;

    private static GatewayHarness gw;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        gw = GatewayHarness.builder().policies("bis-block.yaml", POLICIES).start(dir);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @BeforeEach
    void reset() {
        gw.clock().set(BIS_BLOCK.minusSeconds(1));
        gw.clearRecords();
    }

    private static Wire.HttpReply forward(Socket s, String url, String host) throws Exception {
        Wire.send(s, "GET " + url + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
        return Wire.readReply(s.getInputStream(), false);
    }

    @Test
    void forwardRequestGetsTheSimnetPage() throws Exception {
        try (Socket s = Wire.connect(gw.http())) {
            Wire.HttpReply r = forward(s, "http://" + PUSH_HOST + "/x", PUSH_HOST);

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).contains("<h1>BlackBerry Push Service</h1>", "for " + PUSH_HOST);
        }
        GatewayHarness.Decided d = gw.awaitDecision("http", PUSH_HOST);
        assertThat(d.outcome().trafficClass()).isEqualTo("BIS");
        assertThat(d.outcome().flow().port()).isEqualTo(80);
        assertThat(d.outcome().decision().verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void twoRequestsOnOneKeepAliveConnectionAreEachDecided() throws Exception {
        try (Socket s = Wire.connect(gw.http())) {
            Wire.HttpReply first = forward(s, "http://" + PUSH_HOST + "/one", PUSH_HOST);
            Wire.HttpReply second = forward(s, "http://" + WEB_HOST + "/two", WEB_HOST);

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body()).contains("BlackBerry Push Service");
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).contains("opgate test web");
        }
        assertThat(gw.awaitDecision("http", PUSH_HOST).outcome().trafficClass()).isEqualTo("BIS");
        assertThat(gw.awaitDecision("http", WEB_HOST).outcome().trafficClass()).isEqualTo("OTHER");
    }

    @Test
    void twoRequestsToOneHostOnOneConnectionAreEachDecided() throws Exception {
        try (Socket s = Wire.connect(gw.http())) {
            assertThat(forward(s, "http://" + PUSH_HOST + "/a", PUSH_HOST).status()).isEqualTo(200);
            assertThat(forward(s, "http://" + PUSH_HOST + "/b", PUSH_HOST).status()).isEqualTo(200);
        }
        assertThat(gw.decisions()).filteredOn(d -> PUSH_HOST.equals(d.outcome().flow().host())).hasSize(2);
    }

    @Test
    void blockedForwardRequestGets403AndTheConnectionStaysUsable() throws Exception {
        gw.clock().set(BIS_BLOCK);
        try (Socket s = Wire.connect(gw.http())) {
            Wire.HttpReply refused = forward(s, "http://" + PUSH_HOST + "/x", PUSH_HOST);

            assertThat(refused.status()).isEqualTo(403);
            String reason = gw.awaitDecision("http", PUSH_HOST).outcome().decision().reason();
            assertThat(refused.header("X-Opgate-Reason")).isEqualTo(reason);
            assertThat(refused.body()).isEqualTo(reason + "\n");
            assertThat(reason).contains("the test authority");

            Wire.HttpReply next = forward(s, "http://" + WEB_HOST + "/", WEB_HOST);

            assertThat(next.status()).isEqualTo(200);
            assertThat(next.body()).contains("opgate test web");
        }
    }

    @Test
    void forwardRequestForAnUnknownNameGets502() throws Exception {
        try (Socket s = Wire.connect(gw.http())) {
            Wire.HttpReply r = forward(s, "http://nowhere.example.org/", "nowhere.example.org");

            assertThat(r.status()).isEqualTo(502);
            assertThat(r.body()).contains("unknown host in the simulated network");
        }
    }

    @Test
    void upstreamThatClosesWithoutAnsweringGets502AndTheConnectionStaysUsable() throws Exception {
        // Reads the request head, then closes without a word: a server that crashed mid-request,
        // or a TLS-only server sent plain HTTP (the simnet's BlackBerry relays on port 80).
        try (LoopbackServer silent = LoopbackServer.start(InetAddress.getLoopbackAddress(), 0, c -> {
                    InputStream in = c.getInputStream();
                    for (int tail = 0, b; tail != 0x0D0A0D0A && (b = in.read()) >= 0; ) {
                        tail = tail << 8 | b;
                    }
                });
             Socket s = Wire.connect(gw.http())) {
            Wire.HttpReply r = forward(s, "http://" + silent.target() + "/", silent.target());

            assertThat(r.status()).isEqualTo(502);
            assertThat(r.body()).contains("closed the connection before answering");

            Wire.HttpReply next = forward(s, "http://" + WEB_HOST + "/", WEB_HOST);

            assertThat(next.status()).isEqualTo(200);
            assertThat(next.body()).contains("opgate test web");
        }
    }

    @Test
    void httpsUrlAsAForwardRequestGets400() throws Exception {
        try (Socket s = Wire.connect(gw.http())) {
            Wire.HttpReply r = forward(s, "https://" + PUSH_HOST + "/", PUSH_HOST);

            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).contains("CONNECT");
        }
    }

    @Test
    void requestBodyIsForwardedAndTheAnswerComesBack() throws Exception {
        String body = "x".repeat(20_000);
        try (Socket s = Wire.connect(gw.http())) {
            Wire.send(s, "POST http://" + WEB_HOST + "/form HTTP/1.1\r\nHost: " + WEB_HOST
                    + "\r\nContent-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            Wire.HttpReply first = Wire.readReply(s.getInputStream(), false);
            Wire.HttpReply second = forward(s, "http://" + WEB_HOST + "/after", WEB_HOST);

            assertThat(first.status()).isEqualTo(200);
            assertThat(second.status()).isEqualTo(200);
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (Socket s = Wire.connect(gw.http())) {
            Wire.send(s, "GET http://" + PUSH_HOST + "/1 HTTP/1.1\r\nHost: " + PUSH_HOST + "\r\n\r\n"
                    + "GET http://" + WEB_HOST + "/2 HTTP/1.1\r\nHost: " + WEB_HOST + "\r\n\r\n");
            Wire.HttpReply first = Wire.readReply(s.getInputStream(), false);
            Wire.HttpReply second = Wire.readReply(s.getInputStream(), false);

            assertThat(first.body()).contains("BlackBerry Push Service");
            assertThat(second.body()).contains("opgate test web");
        }
    }

    @Test
    void connectOnAConnectionThatForwardedARequestBecomesATunnel() throws Exception {
        try (LoopbackServer echo = LoopbackServer.echo();
             Socket s = Wire.connect(gw.http())) {
            assertThat(forward(s, "http://" + WEB_HOST + "/", WEB_HOST).status()).isEqualTo(200);

            assertThat(Wire.connectRequest(s, echo.target()).status()).isEqualTo(200);
            Wire.send(s, "through");
            assertThat(new String(s.getInputStream().readNBytes(7), StandardCharsets.US_ASCII)).isEqualTo("through");
        }
    }

    /** Answers a request head with 100 Continue, reads a body of {@code length} bytes and answers it with the body. */
    private static LoopbackServer continuingServer(int length) throws Exception {
        return LoopbackServer.start(InetAddress.getLoopbackAddress(), 0, c -> {
            InputStream in = c.getInputStream();
            OutputStream out = c.getOutputStream();
            Wire.readHead(in);
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String body = new String(in.readNBytes(length), StandardCharsets.US_ASCII);
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + length + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            in.read();
        });
    }

    private static void postHeadExpectingContinue(Socket s, String target, int length) throws Exception {
        Wire.send(s, "POST http://" + target + "/upload HTTP/1.1\r\nHost: " + target + "\r\nContent-Length: " + length
                + "\r\nExpect: 100-continue\r\n\r\n");
    }

    @Test
    void aRequestHeadWithExpectContinueReachesTheUpstreamBeforeItsBody() throws Exception {
        try (LoopbackServer upstream = continuingServer(5);
             Socket s = Wire.connect(gw.http())) {
            postHeadExpectingContinue(s, upstream.target(), 5);

            assertThat(Wire.readHead(s.getInputStream())).isEqualTo("HTTP/1.1 100 Continue");
        }
    }

    @Test
    void aBodySentAfterA100ContinueReachesTheUpstreamAndItsAnswerComesBack() throws Exception {
        try (LoopbackServer upstream = continuingServer(5);
             Socket s = Wire.connect(gw.http())) {
            postHeadExpectingContinue(s, upstream.target(), 5);
            Wire.readHead(s.getInputStream());
            Wire.send(s, "hello");

            Wire.HttpReply r = Wire.readReply(s.getInputStream(), false);

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello");
        }
    }

    @Test
    void aMalformedChunkedBodyGets400AndTheConnectionCloses() throws Exception {
        // Reads until the gateway closes and never answers: the 400 can only come from the gateway.
        try (LoopbackServer silent = LoopbackServer.start(InetAddress.getLoopbackAddress(), 0,
                    c -> c.getInputStream().readAllBytes());
             Socket s = Wire.connect(gw.http())) {
            Wire.send(s, "POST http://" + silent.target() + "/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "zz\r\nhello\r\n0\r\n\r\n"
                    + "GET http://" + WEB_HOST + "/ HTTP/1.1\r\nHost: " + WEB_HOST + "\r\n\r\n");

            Wire.HttpReply r = Wire.readReply(s.getInputStream(), false);

            assertThat(r.status()).isEqualTo(400);
            assertThat(r.header("X-Opgate-Reason")).startsWith("malformed HTTP request body");
            assertThat(Wire.awaitEnd(s)).isIn("closed", "reset");
        }
        assertThat(gw.awaitRefusal("http", "bad-request").detail()).startsWith("malformed HTTP request body");
    }

    @Test
    void aClientThatDoesNotReadItsForwardedResponseHoldsTheUpstreamBack() throws Exception {
        long length = 64L * 1024 * 1024;
        AtomicLong written = new AtomicLong();
        try (LoopbackServer firehose = LoopbackServer.start(InetAddress.getLoopbackAddress(), 0, c -> {
                    Wire.readHead(c.getInputStream());
                    OutputStream out = c.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = new byte[64 * 1024];
                    while (written.get() < length) {
                        out.write(chunk);
                        written.addAndGet(chunk.length);
                    }
                });
             Socket s = new Socket()) {
            s.setReceiveBufferSize(16 * 1024);
            s.connect(gw.http());
            Wire.send(s, "GET http://" + firehose.target() + "/big HTTP/1.1\r\nHost: " + firehose.target() + "\r\n\r\n");

            // The client never reads: once the flow stalls, the upstream has sent what the sockets
            // and the gateway's write buffer hold, far from the whole response.
            Await.until(() -> written.get() > 0, "the upstream to start sending");
            long[] last = {-1};
            Await.until(() -> {
                long now = written.get();
                boolean stalled = now == last[0];
                last[0] = now;
                sleepQuietly(200);
                return stalled;
            }, "the upstream to stall");

            assertThat(written.get()).isLessThan(16L * 1024 * 1024);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
