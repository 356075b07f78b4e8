package org.opgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opgate.testing.GatewayHarness.BBM_HOST;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.testing.AdminClient;
import org.opgate.testing.ClientHellos;
import org.opgate.testing.GatewayHarness;
import org.opgate.testing.PrometheusText;
import org.opgate.testing.Wire;

/**
 * Every limit holds with many connections open at once, and each refusal is counted by reason in
 * {@code opgate_refusals_total} as scraped from {@code /metrics}: connections per client address
 * and per listener (503), the handshake timeout (408), the header size (431), the ClientHello
 * size (reset).
 */
final class LimitsUnderLoadTest {

    private static final int PER_CLIENT = 20;
    private static final int PER_LISTENER = 50;

    private static GatewayHarness gw;
    private static AdminClient api;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        gw = GatewayHarness.builder().admin()
                .limit("max-connections-per-client", String.valueOf(PER_CLIENT))
                .limit("max-connections-per-listener", String.valueOf(PER_LISTENER))
                .limit("handshake-timeout", "1s")
                .limit("max-header-bytes", "1024")
                .limit("max-client-hello-bytes", "1024")
                .start(dir);
        api = new AdminClient(gw);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    /** Opens all at once from {@code from}, then reads each answer: the status codes and how often. */
    private static Map<Integer, Integer> openAndRead(List<String> from) throws Exception {
        List<Socket> held = new ArrayList<>();
        Map<Integer, Integer> statuses = new HashMap<>();
        try {
            for (String address : from) {
                held.add(Wire.connectFrom(InetAddress.getByName(address), gw.http()));
            }
            for (Socket s : held) {
                statuses.merge(Wire.readReply(s.getInputStream(), false).status(), 1, Integer::sum);
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        gw.awaitNoTunnels();
        return statuses;
    }

    private static double refusals(String listener, String reason) throws Exception {
        PrometheusText m = api.metrics();
        return m.samples("opgate_refusals_total", "listener", listener, "reason", reason).isEmpty() ? 0
                : m.value("opgate_refusals_total", "listener", listener, "reason", reason);
    }

    @Test
    void limitsHoldUnderManyConnectionsAndEachRefusalIsCountedByReason() throws Exception {
        List<String> oneClient = new ArrayList<>();
        for (int i = 0; i < PER_CLIENT + 5; i++) {
            oneClient.add("127.0.3.1");
        }
        assertThat(openAndRead(oneClient)).isEqualTo(Map.of(503, 5, 408, PER_CLIENT));

        List<String> manyClients = new ArrayList<>();
        for (int i = 0; i < PER_LISTENER + 7; i++) {
            manyClients.add("127.0.4." + (1 + i));
        }
        // Wait until the first round's connections are gone from the listener's count.
        Thread.sleep(200);
        assertThat(openAndRead(manyClients)).isEqualTo(Map.of(503, 7, 408, PER_LISTENER));

        try (Socket s = Wire.connect(gw.http())) {
            Wire.send(s, "CONNECT " + BBM_HOST + ":443 HTTP/1.1\r\nX-Padding: " + "p".repeat(2000) + "\r\n\r\n");
            assertThat(Wire.readReply(s.getInputStream(), false).status()).isEqualTo(431);
        }
        try (Socket s = Wire.connect(gw.sni())) {
            Wire.send(s, ClientHellos.builder().sni(BBM_HOST).extension(21, new byte[2000]).build());
            assertThat(Wire.awaitEnd(s)).isIn("reset", "closed");
        }

        gw.awaitRefusal("sni", "client-hello-too-large");
        assertThat(refusals("http", "limit-client")).isEqualTo(5);
        assertThat(refusals("http", "limit-listener")).isEqualTo(7);
        assertThat(refusals("http", "handshake-timeout")).isEqualTo(PER_CLIENT + PER_LISTENER);
        assertThat(refusals("http", "header-too-large")).isEqualTo(1);
        assertThat(refusals("sni", "client-hello-too-large")).isEqualTo(1);
    }
}
