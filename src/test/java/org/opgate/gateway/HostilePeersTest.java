package org.opgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opgate.testing.GatewayHarness.BBM_HOST;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.gateway.enforce.Tunnel;
import org.opgate.testing.Await;
import org.opgate.testing.FuzzHellos;
import org.opgate.testing.GatewayHarness;
import org.opgate.testing.LoopbackServer;
import org.opgate.testing.Mutator;
import org.opgate.testing.TailLogAppender;
import org.opgate.testing.Wire;

/**
 * Hostile and slow peers against a whole gateway on loopback: malformed input on real sockets,
 * a thousand clients trickling their handshakes, an upstream that accepts and never answers, one
 * that resets mid-stream, a client that never reads. After each, the gateway still gives a
 * normal client its tunnel, and no exception reached the end of a pipeline. The handshake timeout is long (60 s) so that the
 * trickling clients outlive the test; the idle timeout is 2 s.
 */
final class HostilePeersTest {

    private static final long SEED = Long.getLong("opgate.fuzz.seed", 20_151_201L);
    private static final int HIGH = 64 * 1024;

    private static GatewayHarness gw;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        gw = GatewayHarness.builder()
                .limit("handshake-timeout", "60s")
                .limit("idle-timeout", "2s")
                .limit("write-buffer-low", String.valueOf(HIGH / 2))
                .limit("write-buffer-high", String.valueOf(HIGH))
                .start(dir);
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
        TailLogAppender.drain();
    }

    /** A CONNECT tunnel to simnet's TLS server that echoes; returns how long it took, in ms. */
    private static double normalTunnel() throws IOException {
        long t0 = System.nanoTime();
        try (Socket raw = Wire.connectTunnel(gw.http(), BBM_HOST + ":443");
             SSLSocket tls = Wire.tls(raw, BBM_HOST)) {
            Wire.echo(tls, "still serving");
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    @Test
    void malformedInputOnRealSocketsLeavesNoExceptionAtTheTailAndTheGatewayServing() throws Exception {
        Random random = new Random(SEED);
        List<Function<Random, byte[]>> inputs = List.of(FuzzHellos::next, r -> Mutator.mutate(r,
                ("CONNECT " + BBM_HOST + ":443 HTTP/1.1\r\nHost: " + BBM_HOST + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII),
                1 + r.nextInt(3)), r -> Mutator.mutate(r, new byte[] {5, 1, 0, 5, 1, 0, 3, 24, 'g', 'o', 'o', 'd', 's',
                '.', 'b', 'b', 'm', '.', 'b', 'l', 'a', 'c', 'k', 'b', 'e', 'r', 'r', 'y', '.', 'c', 'o', 'm', 1, (byte) 0xbb},
                1 + r.nextInt(3)));
        List<InetSocketAddress> listeners = List.of(gw.sni(), gw.http(), gw.socks5());
        int cases = Integer.getInteger("opgate.fuzz.sockets", 3000);
        for (int n = 0; n < cases; n++) {
            int kind = random.nextInt(3);
            byte[] input = inputs.get(kind).apply(random);
            try (Socket s = Wire.connect(listeners.get(kind))) {
                s.getOutputStream().write(input);
                if (random.nextBoolean()) {
                    s.setSoLinger(true, 0); // vanish with a reset
                }
            } catch (IOException e) {
                // The gateway may have refused and reset before all was written: that is an answer.
            }
        }
        normalTunnel();
        assertThat(TailLogAppender.drain()).as("exceptions that reached the tail of a pipeline").isEmpty();
        Await.until(() -> gw.tunnels().size() == 0, "no tunnel left open by the malformed clients");
    }

    @Test
    void aThousandTricklingClientsDoNotKeepANormalClientFromItsTunnel() throws Exception {
        byte[] request = ("CONNECT " + BBM_HOST + ":443 HTTP/1.1\r\nHost: " + BBM_HOST + "\r\n"
                + "X-Trickle: " + "t".repeat(200) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        List<Socket> slow = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread trickler = null;
        try {
            // A pool of source addresses, so no one address holds more than 100 of them.
            for (int i = 0; i < 1000; i++) {
                slow.add(Wire.connectFrom(InetAddress.getByName("127.0.1." + (1 + i % 10)), gw.http()));
            }
            trickler = new Thread(() -> {
                for (int at = 0; !stop.get() && at < request.length; at++) {
                    for (Socket s : slow) {
                        try {
                            s.getOutputStream().write(request[at]);
                        } catch (IOException e) {
                            throw new IllegalStateException("a trickling client was dropped", e);
                        }
                    }
                    for (long until = System.nanoTime() + 2_000_000_000L; !stop.get() && System.nanoTime() < until; ) {
                        try {
                            Thread.sleep(50);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }, "trickler");
            trickler.start();
            double[] delays = new double[20];
            for (int i = 0; i < delays.length; i++) {
                delays[i] = normalTunnel();
                Thread.sleep(200);
            }
            Arrays.sort(delays);
            System.out.printf("normal tunnel (CONNECT, TLS, echo) beside 1000 trickling clients:"
                    + " median %.1f ms, max %.1f ms over %d tunnels%n", delays[delays.length / 2],
                    delays[delays.length - 1], delays.length);
            assertThat(slow).allSatisfy(s -> assertThat(s.isClosed()).isFalse());
            assertThat(gw.refusals()).isEmpty();
        } finally {
            stop.set(true);
            if (trickler != null) {
                trickler.join();
            }
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void upstreamThatAcceptsAndNeverAnswersEndsAtTheIdleTimeout() throws Exception {
        try (LoopbackServer silent = LoopbackServer.start(InetAddress.getLoopbackAddress(), 0, s -> {
            s.getInputStream().readAllBytes(); // reads, never writes, until the gateway closes
        }); Socket s = Wire.connectTunnel(gw.http(), silent.target())) {
            Wire.send(s, "hello?\n");
            Tunnel t = gw.awaitTunnel(x -> x.outcome().flow().port() == silent.address().getPort(), "to the silent upstream");

            assertThat(Wire.awaitEnd(s)).isIn("closed", "reset");
            Await.until(() -> gw.closedTunnels().contains(t), "the silent tunnel to be reported closed");
            assertThat(t.endReason()).isEqualTo("timeout");
        }
        normalTunnel();
    }

    @Test
    void upstreamThatResetsMidStreamEndsTheTunnelAfterRelayingWhatItSentInOrder() throws Exception {
        byte[] sent = new byte[128 * 1024];
        new Random(SEED).nextBytes(sent);
        int first = sent.length / 2;
        // Sends half, waits until the client has it all, sends the rest and resets at once: the
        // reset can overtake the second half, never the first.
        try (LoopbackServer failing = LoopbackServer.start(InetAddress.getLoopbackAddress(), 0, u -> {
            u.getOutputStream().write(sent, 0, first);
            u.getOutputStream().flush();
            u.getInputStream().read();
            u.getOutputStream().write(sent, first, sent.length - first);
            u.setSoLinger(true, 0);
        }); Socket s = Wire.connectTunnel(gw.http(), failing.target())) {
            Tunnel t = gw.awaitTunnel(x -> x.outcome().flow().port() == failing.address().getPort(), "to the failing upstream");
            byte[] got = s.getInputStream().readNBytes(first);
            assertThat(got).as("the bytes sent before the reset").isEqualTo(Arrays.copyOf(sent, first));
            Wire.send(s, "k");
            byte[] rest = new byte[sent.length];
            int more = 0;
            try {
                for (int n; (n = s.getInputStream().read(rest, more, rest.length - more)) > 0; ) {
                    more += n;
                }
            } catch (IOException e) {
                // The gateway passed the reset on: also an end.
            }

            assertThat(Arrays.copyOf(rest, more)).as("what came after, a prefix of the second half")
                    .isEqualTo(Arrays.copyOfRange(sent, first, first + more));
            Await.until(() -> gw.closedTunnels().contains(t), "the tunnel to be reported closed");
            assertThat(t.endReason()).isEqualTo("upstream");
            assertThat(t.bytesDown()).isGreaterThanOrEqualTo(first + more);
        }
        assertThat(TailLogAppender.drain()).as("exceptions that reached the tail of a pipeline").isEmpty();
        normalTunnel();
    }

    @Test
    void clientThatNeverReadsHoldsTheGatewaysBufferBelowTheHighWaterMark() throws Exception {
        byte[] chunk = new byte[64 * 1024];
        AtomicBoolean stop = new AtomicBoolean();
        try (LoopbackServer firehose = LoopbackServer.start(InetAddress.getLoopbackAddress(), 0, s -> {
            OutputStream out = s.getOutputStream();
            while (!stop.get()) {
                out.write(chunk);
            }
        }); Socket s = Wire.connectTunnel(gw.http(), firehose.target())) {
            s.setReceiveBufferSize(64 * 1024);
            Tunnel t = gw.awaitTunnel(x -> x.outcome().flow().port() == firehose.address().getPort(), "to the firehose");
            long most = 0;
            long down = -1;
            // Sample for a second after the flow stalls: what the gateway holds for the client stays bounded.
            for (int i = 0; i < 100; i++) {
                most = Math.max(most, pending(t.client()));
                down = t.bytesDown();
                Thread.sleep(10);
            }
            System.out.printf("client never reads: gateway holds at most %d bytes for it (high water mark %d),"
                    + " %d bytes relayed before the stall%n", most, HIGH, down);
            assertThat(most).isLessThan(HIGH + 256 * 1024);
            assertThat(t.bytesDown()).isLessThan(64L * 1024 * 1024);
        } finally {
            stop.set(true);
        }
        normalTunnel();
    }

    /** Bytes written to {@code ch} and not yet handed to its socket. */
    private static long pending(Channel ch) {
        ChannelOutboundBuffer b = ch == null ? null : ch.unsafe().outboundBuffer();
        return b == null ? 0 : b.totalPendingWriteBytes();
    }
}
