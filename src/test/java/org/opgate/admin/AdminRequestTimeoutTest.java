package org.opgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.testing.GatewayHarness;
import org.opgate.testing.Wire;

/**
 * An admin connection has the listeners' handshake timeout to send a complete request, from its
 * opening and from each answer: a half-sent request (slowloris) or an idle keep-alive connection
 * is closed, an event stream stays open.
 */
final class AdminRequestTimeoutTest {

    private static GatewayHarness gw;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        gw = GatewayHarness.builder().admin().limit("handshake-timeout", "300ms").start(dir);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void aHalfSentRequestIsClosedAtTheHandshakeTimeout() throws Exception {
        try (Socket s = Wire.connect(gw.admin())) {
            Wire.send(s, "GET /health HTTP/1.1\r\nHost: x\r\n");

            assertThat(Wire.awaitEnd(s)).isEqualTo("closed");
        }
    }

    @Test
    void aKeepAliveConnectionIdleAfterItsAnswerIsClosedAtTheHandshakeTimeout() throws Exception {
        try (Socket s = Wire.connect(gw.admin())) {
            Wire.send(s, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(Wire.readReply(s.getInputStream(), false).status()).isEqualTo(200);

            assertThat(Wire.awaitEnd(s)).isEqualTo("closed");
        }
    }

    @Test
    void anEventStreamOutlivesTheHandshakeTimeout() throws Exception {
        try (Socket s = Wire.connect(gw.admin())) {
            Wire.send(s, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(Wire.readHead(s.getInputStream())).startsWith("HTTP/1.1 200");

            assertThat(Wire.awaitEnd(s, Duration.ofSeconds(2))).isEqualTo("open");
        }
    }
}
