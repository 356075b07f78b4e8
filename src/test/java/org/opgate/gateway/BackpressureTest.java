package org.opgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.gateway.enforce.Tunnel;
import org.opgate.testing.GatewayHarness;
import org.opgate.testing.LoopbackServer;
import org.opgate.testing.Wire;

/**
 * 256 MiB through a CONNECT tunnel into an upstream that reads slowly: the gateway holds no more
 * than its write-buffer high water mark plus about one read, and every byte arrives in order.
 */
final class BackpressureTest {

    private static final int LOW = 32 * 1024;
    private static final int HIGH = 64 * 1024;
    private static final long TOTAL = 256L * 1024 * 1024;
    private static final int CHUNK = 64 * 1024;
    /**
     * 64 KiB, then 0.3 ms; and a 150 ms stall every 32 MiB (eight in all), each long enough to fill
     * every buffer between the sender and the reader however fast the machine.
     */
    private static final LoopbackServer.Pace PACE = new LoopbackServer.Pace(CHUNK, Duration.ofNanos(300_000),
            32L * 1024 * 1024, Duration.ofMillis(150));
    /** What one read of the gateway may add above the high water mark, with room to spare. */
    private static final int ONE_READ_SLACK = 256 * 1024;

    private static GatewayHarness gw;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        gw = GatewayHarness.builder()
                .limit("write-buffer-low", String.valueOf(LOW))
                .limit("write-buffer-high", String.valueOf(HIGH))
                .start(dir);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    /** Bytes written to {@code ch} and not yet handed to its socket. */
    private static long pending(Channel ch) {
        ChannelOutboundBuffer b = ch == null ? null : ch.unsafe().outboundBuffer();
        return b == null ? 0 : b.totalPendingWriteBytes();
    }

    /** Samples both channels of a tunnel on a thread of its own until stopped. */
    private static final class Sampler extends Thread {
        private final Tunnel tunnel;
        private final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong maxUpstream = new AtomicLong();
        final AtomicLong maxClient = new AtomicLong();
        final AtomicLong samples = new AtomicLong();
        final AtomicBoolean sawUpstreamUnwritable = new AtomicBoolean();

        Sampler(Tunnel tunnel) {
            super("backpressure-sampler");
            setDaemon(true);
            this.tunnel = tunnel;
        }

        @Override
        public void run() {
            while (!stop.get()) {
                Channel up = tunnel.upstream();
                maxUpstream.accumulateAndGet(pending(up), Math::max);
                maxClient.accumulateAndGet(pending(tunnel.client()), Math::max);
                if (up != null && up.isActive() && !up.isWritable()) {
                    sawUpstreamUnwritable.set(true);
                }
                samples.incrementAndGet();
                LockSupport.parkNanos(200_000);
            }
        }

        void finish() throws InterruptedException {
            stop.set(true);
            join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    @Test
    void slowUpstreamKeepsTheGatewaysBuffersBoundedAndTheDataIntact() throws Exception {
        assertThat(gw.limits().writeBufferHigh()).isEqualTo(HIGH);
        try (LoopbackServer reader = LoopbackServer.slowReader(PACE, 32 * 1024, TOTAL);
             Socket s = Wire.connectTunnel(gw.http(), reader.target())) {
            int port = reader.address().getPort();
            Tunnel tunnel = gw.awaitTunnel(t -> t.outcome().flow().port() == port, "to the slow reader");
            Sampler sampler = new Sampler(tunnel);
            sampler.start();

            CRC32 sent = new CRC32();
            Random random = new Random(20151201);
            byte[] chunk = new byte[CHUNK];
            OutputStream out = s.getOutputStream();
            for (long n = 0; n < TOTAL; n += CHUNK) {
                random.nextBytes(chunk);
                sent.update(chunk);
                out.write(chunk);
            }
            out.flush();
            LoopbackServer.Received got = reader.received().get(60, TimeUnit.SECONDS);
            sampler.finish();

            assertThat(got.bytes()).isEqualTo(TOTAL);
            assertThat(got.crc32()).isEqualTo(sent.getValue());
            assertThat(tunnel.bytesUp()).isEqualTo(TOTAL);
            assertThat(sampler.samples.get()).isGreaterThan(100);
            assertThat(sampler.sawUpstreamUnwritable.get())
                    .as("the slow reader pushed the upstream channel over its high water mark at least once")
                    .isTrue();
            assertThat(sampler.maxUpstream.get()).isLessThan(HIGH + ONE_READ_SLACK);
            assertThat(sampler.maxClient.get()).isLessThan(HIGH + ONE_READ_SLACK);
            // Half-close: the gateway passes the end of stream on, the reader closes, and so does the
            // client's side. (Sampling ended before: on EPOLLRDHUP Netty's epoll transport drains the
            // socket whatever AUTO_READ says, autoRead being only a hint there, netty/netty#13142.)
            s.shutdownOutput();
            assertThat(Wire.awaitEnd(s)).isEqualTo("closed");
        }
    }
}
