package org.opgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opgate.testing.GatewayHarness.BBM_HOST;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.testing.Await;
import org.opgate.testing.GatewayHarness;
import org.opgate.testing.Wire;

/**
 * What the http listener answers to input no proxy client should send, on raw sockets; after
 * each, the gateway still serves a good CONNECT.
 */
final class MalformedHttpTest {

    private static GatewayHarness gw;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        gw = GatewayHarness.builder().start(dir);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @BeforeEach
    void reset() {
        gw.clearRecords();
    }

    @AfterEach
    void gatewayStillServes() throws Exception {
        try (Socket s = Wire.connect(gw.http())) {
            assertThat(Wire.connectRequest(s, BBM_HOST + ":443").status()).isEqualTo(200);
        }
    }

    /** Sends {@code request} on a new connection and reads the answer; the gateway closes after it. */
    private static Wire.HttpReply answer(String request) throws Exception {
        return answer(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Wire.HttpReply answer(byte[] request) throws Exception {
        try (Socket s = Wire.connect(gw.http())) {
            Wire.send(s, request);
            Wire.HttpReply r = Wire.readReply(s.getInputStream(), false);
            assertThat(Wire.awaitEnd(s)).isIn("closed", "reset");
            return r;
        }
    }

    @Test
    void badRequestLineGets400() throws Exception {
        Wire.HttpReply r = answer("THIS IS NOT HTTP\r\n\r\n");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("X-Opgate-Reason")).startsWith("malformed HTTP request");
        gw.awaitRefusal("http", "bad-request");
    }

    @Test
    void headOverTheHeaderLimitGets431() throws Exception {
        int limit = gw.limits().maxHeaderBytes();
        Wire.HttpReply r = answer("CONNECT " + BBM_HOST + ":443 HTTP/1.1\r\nHost: " + BBM_HOST
                + "\r\nX-Padding: " + "a".repeat(limit + 100) + "\r\n\r\n");

        assertThat(r.status()).isEqualTo(431);
        assertThat(r.body()).contains(String.valueOf(limit));
        gw.awaitRefusal("http", "header-too-large");
    }

    @Test
    void requestLineOverTheHeaderLimitGets414() throws Exception {
        int limit = gw.limits().maxHeaderBytes();
        Wire.HttpReply r = answer("GET http://" + BBM_HOST + "/" + "a".repeat(limit + 100) + " HTTP/1.1\r\n\r\n");

        assertThat(r.status()).isEqualTo(414);
        assertThat(r.header("X-Opgate-Reason")).isEqualTo("request line longer than " + limit + " bytes");
        gw.awaitRefusal("http", "header-too-large");
    }

    @Test
    void originFormRequestThatIsNoProxyRequestGets400() throws Exception {
        Wire.HttpReply r = answer("GET / HTTP/1.1\r\nHost: " + BBM_HOST + "\r\n\r\n");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("not a proxy request");
    }

    @Test
    void connectWithoutPortGets400() throws Exception {
        Wire.HttpReply r = answer("CONNECT " + BBM_HOST + " HTTP/1.1\r\nHost: " + BBM_HOST + "\r\n\r\n");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("no valid port");
    }

    @Test
    void connectWithoutHostGets400SayingSo() throws Exception {
        Wire.HttpReply r = answer("CONNECT :443 HTTP/1.1\r\n\r\n");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("has no host");
    }

    @Test
    void connectWithASignedPortGets400() throws Exception {
        Wire.HttpReply r = answer("CONNECT " + BBM_HOST + ":+443 HTTP/1.1\r\nHost: " + BBM_HOST + "\r\n\r\n");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("no valid port");
        gw.awaitRefusal("http", "bad-request");
    }

    @Test
    void connectToARawUtf8HostNameGets400AskingForPunycode() throws Exception {
        // "bücher.example" in UTF-8: read as ISO-8859-1 it was classified as another name's punycode.
        Wire.HttpReply r = answer("CONNECT b\u00fccher.example:443 HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.UTF_8));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("non-ASCII", "punycode");
        gw.awaitRefusal("http", "bad-request");
    }

    @Test
    void forwardRequestToARawUtf8HostNameGets400AskingForPunycode() throws Exception {
        Wire.HttpReply r = answer("GET http://b\u00fccher.example/ HTTP/1.1\r\nHost: b\u00fccher.example\r\n\r\n"
                .getBytes(StandardCharsets.UTF_8));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("non-ASCII", "punycode");
        gw.awaitRefusal("http", "bad-request");
    }

    @Test
    void requestInAnUnsupportedHttpVersionGets505() throws Exception {
        Wire.HttpReply r = answer("CONNECT " + BBM_HOST + ":443 HTTP/9.9\r\nHost: " + BBM_HOST + "\r\n\r\n");

        assertThat(r.status()).isEqualTo(505);
        assertThat(r.body()).contains("HTTP/9.9");
        gw.awaitRefusal("http", "bad-request");
    }

    @Test
    void connectToAnInvalidHostNameGets400() throws Exception {
        Wire.HttpReply r = answer("CONNECT bad..name:443 HTTP/1.1\r\nHost: bad..name:443\r\n\r\n");

        assertThat(r.status()).isEqualTo(400);
    }

    @Test
    void connectPipelinedBehindARefusedRequestIsNeitherDecidedNorCounted() throws Exception {
        // Found by ListenerFuzzTest: the decoder went on with the bytes of the same read after the 400.
        Wire.HttpReply r = answer("GET / HTTP/1.1\r\nHost: x\r\n\r\nCONNECT " + BBM_HOST + ":443 HTTP/1.1\r\nHost: "
                + BBM_HOST + "\r\n\r\n");

        assertThat(r.status()).isEqualTo(400);
        gw.awaitRefusal("http", "bad-request");
        assertThat(gw.decisions()).isEmpty();
    }

    @Test
    void clientThatVanishesMidRequestIsForgotten() throws Exception {
        try (Socket s = Wire.connect(gw.http())) {
            Wire.send(s, "CONNECT " + BBM_HOST + ":4");
        }
        // Nothing to answer; the good CONNECT after each test shows the listener is unharmed.
    }

    @Test
    void upstreamThatRefusesTheConnectionGets502() throws Exception {
        int closedPort;
        try (ServerSocket ss = new ServerSocket(0)) {
            closedPort = ss.getLocalPort();
        }

        Wire.HttpReply r = answer("CONNECT 127.0.0.1:" + closedPort + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

        assertThat(r.status()).isEqualTo(502);
        assertThat(r.body()).contains("cannot connect to 127.0.0.1");
        gw.awaitRefusal("http", "connect-failed");
    }

    @Test
    void nameUnknownInTheSimulatedNetworkGets502() throws Exception {
        Wire.HttpReply r = answer("CONNECT nowhere.example.org:443 HTTP/1.1\r\nHost: nowhere.example.org\r\n\r\n");

        assertThat(r.status()).isEqualTo(502);
        assertThat(r.body()).contains("unknown host in the simulated network");
    }

    @Test
    void thirdConnectionFromOneClientOverALimitOfTwoGets503(@TempDir Path dir) throws Exception {
        try (GatewayHarness limited = GatewayHarness.builder().limit("max-connections-per-client", "2").start(dir)) {
            List<Socket> held = new ArrayList<>();
            try {
                // Tunnels, so each is known to be counted before the next connects.
                held.add(Wire.connectTunnel(limited.http(), BBM_HOST + ":443"));
                held.add(Wire.connectTunnel(limited.http(), BBM_HOST + ":443"));
                try (Socket third = Wire.connect(limited.http())) {
                    Wire.HttpReply r = Wire.readReply(third.getInputStream(), false);

                    assertThat(r.status()).isEqualTo(503);
                    assertThat(r.header("X-Opgate-Reason")).contains("too many connections from 127.0.0.1", "limit 2");
                    assertThat(Wire.awaitEnd(third)).isIn("closed", "reset");
                }
                limited.awaitRefusal("http", "limit-client");
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
            // Once they are gone, the client may connect again.
            Await.until(() -> {
                try (Socket s = Wire.connect(limited.http())) {
                    return Wire.connectRequest(s, BBM_HOST + ":443").status() == 200;
                } catch (Exception | AssertionError e) {
                    return false;
                }
            }, "a new connection to be served after the held ones closed");
        }
    }
}
