package org.opgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opgate.testing.GatewayHarness.BBM_HOST;
import static org.opgate.testing.GatewayHarness.BEFORE_DEADLINE;
import static org.opgate.testing.GatewayHarness.BES_HOST;
import static org.opgate.testing.GatewayHarness.DEADLINE;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.policy.Verdict;
import org.opgate.testing.ClientHellos;
import org.opgate.testing.GatewayHarness;
import org.opgate.testing.Wire;

/**
 * The sni listener: plain TCP whose first bytes must be a TLS ClientHello naming the
 * destination; every refusal is a TCP reset. The {@code sni} listener sends flows to port 443
 * (where BBM is matched), {@code sni-srp} to 3101 (where BES is).
 */
final class SniListenerTest {

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
        gw.clock().set(BEFORE_DEADLINE);
        gw.clearRecords();
    }

    @Test
    void tlsHandshakeForABbmHostCompletesWithTheSimnetServer() throws Exception {
        try (Socket raw = Wire.connect(gw.sni());
             SSLSocket tls = Wire.tls(raw, BBM_HOST)) {
            Wire.HttpReply page = Wire.get(tls, BBM_HOST);

            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).contains("<h1>BBM consumer app service</h1>", "for " + BBM_HOST);
        }
        GatewayHarness.Decided d = gw.awaitDecision("sni", BBM_HOST);
        assertThat(d.outcome().decision().verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(d.outcome().flow().port()).isEqualTo(443);
        assertThat(d.outcome().flow().host()).isNull();
    }

    @Test
    void besSniBeforeTheDeadlineIsRelayedAndRecordedAsNotified() throws Exception {
        try (Socket raw = Wire.connect(gw.sniSrp());
             SSLSocket tls = Wire.tls(raw, BES_HOST)) {
            assertThat(Wire.get(tls, BES_HOST).body()).contains("BlackBerry Infrastructure (SRP relay)");
        }
        GatewayHarness.Decided d = gw.awaitDecision("sni-srp", BES_HOST);
        assertThat(d.outcome().decision().verdict()).isEqualTo(Verdict.NOTIFY);
        assertThat(d.outcome().flow().port()).isEqualTo(3101);
    }

    @Test
    void besSniAtTheDeadlineIsReset() throws Exception {
        gw.clock().set(DEADLINE);
        try (Socket s = Wire.connect(gw.sniSrp())) {
            Wire.send(s, ClientHellos.of(BES_HOST));

            assertThat(Wire.awaitEnd(s)).isEqualTo("reset");
        }
        assertThat(gw.awaitDecision("sni-srp", BES_HOST).outcome().decision().verdict()).isEqualTo(Verdict.BLOCK);
    }

    @Test
    void garbageInsteadOfAClientHelloIsReset() throws Exception {
        try (Socket s = Wire.connect(gw.sni())) {
            Wire.send(s, "GET / HTTP/1.1\r\nHost: " + BBM_HOST + "\r\n\r\n");

            assertThat(Wire.awaitEnd(s)).isEqualTo("reset");
        }
        gw.awaitRefusal("sni", "not-tls");
    }

    @Test
    void malformedClientHelloIsReset() throws Exception {
        byte[] hello = ClientHellos.of(BBM_HOST);
        // Claim a session id longer than the message holds.
        byte[] bad = Arrays.copyOf(hello, hello.length);
        bad[5 + 4 + 2 + 32] = (byte) 0xFF;
        try (Socket s = Wire.connect(gw.sni())) {
            Wire.send(s, bad);

            assertThat(Wire.awaitEnd(s)).isEqualTo("reset");
        }
        gw.awaitRefusal("sni", "bad-request");
    }

    @Test
    void clientHelloWithoutSniIsReset() throws Exception {
        try (Socket s = Wire.connect(gw.sni())) {
            Wire.send(s, ClientHellos.withoutSni());

            assertThat(Wire.awaitEnd(s)).isEqualTo("reset");
        }
        gw.awaitRefusal("sni", "no-sni");
    }

    @Test
    void clientHelloWrittenOneByteAtATimeIsAssembledAndRelayed() throws Exception {
        byte[] hello = ClientHellos.of(BBM_HOST);
        try (Socket s = Wire.connect(gw.sni())) {
            OutputStream out = s.getOutputStream();
            for (byte b : hello) {
                out.write(b);
                out.flush();
                LockSupport.parkNanos(100_000);
            }
            // The simnet TLS server answered the hello: a handshake record (ServerHello) comes back.
            byte[] head = s.getInputStream().readNBytes(3);

            assertThat(head).containsExactly(ClientHellos.HANDSHAKE, 3, 3);
        }
        assertThat(gw.awaitDecision("sni", BBM_HOST).outcome().decision().verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void clientHelloFragmentedOverSeveralRecordsIsAssembledAndRelayed() throws Exception {
        try (Socket s = Wire.connect(gw.sni())) {
            Wire.send(s, ClientHellos.reframe(ClientHellos.of(BBM_HOST), 64));

            assertThat(s.getInputStream().read()).isEqualTo(ClientHellos.HANDSHAKE);
        }
        gw.awaitDecision("sni", BBM_HOST);
    }

    @Test
    void clientThatVanishesMidHelloLeavesTheListenerServing() throws Exception {
        byte[] hello = ClientHellos.of(BBM_HOST);
        try (Socket s = Wire.connect(gw.sni())) {
            Wire.send(s, Arrays.copyOf(hello, hello.length / 2));
        }
        try (Socket raw = Wire.connect(gw.sni());
             SSLSocket tls = Wire.tls(raw, BBM_HOST)) {
            assertThat(tls.getSession().isValid()).isTrue();
        }
    }

    @Test
    void nothingWithinTheHandshakeTimeoutIsResetAndCounted(@TempDir Path dir) throws Exception {
        try (GatewayHarness quick = GatewayHarness.builder().limit("handshake-timeout", "300ms").start(dir);
             Socket s = Wire.connect(quick.sni())) {
            assertThat(Wire.awaitEnd(s)).isEqualTo("reset");

            GatewayHarness.Refused r = quick.awaitRefusal("sni", "handshake-timeout");
            assertThat(r.detail()).contains("300 ms");
        }
    }

    @Test
    void bytesAfterTheHelloFlowBothWays() throws Exception {
        // After the handshake the TLS server echoes what is not HTTP: a full round trip through the relay.
        byte[] data = "not http, just bytes\n".getBytes(StandardCharsets.US_ASCII);
        try (Socket raw = Wire.connect(gw.sni());
             SSLSocket tls = Wire.tls(raw, BBM_HOST)) {
            Wire.send(tls, data);

            assertThat(tls.getInputStream().readNBytes(data.length)).isEqualTo(data);
        }
    }
}
