package org.opgate.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.classify.IndexedClassifier;
import org.opgate.config.ConfigLoader;
import org.opgate.config.OpgateConfig;
import org.opgate.flow.Flow;
import org.opgate.policy.Verdict;
import org.opgate.testing.ClientHellos;
import org.opgate.testing.LoopbackServer;
import org.opgate.testing.Tools;

/**
 * The exported HAProxy configuration run by a real haproxy on loopback: {@code haproxy -c} accepts
 * it, and it refuses exactly the TLS flows opgate's policy engine refuses. Skipped without haproxy
 * unless {@code OPGATE_REQUIRE_TOOLS=1}.
 */
final class HaproxyExportLiveTest {

    private static final String BES_SNI = "gb.srp.blackberry.com";
    private static final String BBM_SNI = "goods.bbm.blackberry.com";

    @Test
    void haproxyCheckAcceptsTheBundledExport(@TempDir Path dir) throws Exception {
        Path haproxy = Tools.require("haproxy");
        Path cfg = dir.resolve("opgate.haproxy.cfg");
        Files.writeString(cfg, HaproxyExporter.export(ConfigLoader.load(Path.of("config")), "127.0.0.1:8443",
                "127.0.0.1:443").text());
        Tools.Result r = Tools.run(Duration.ofSeconds(30), haproxy.toString(), "-c", "-f", cfg.toString());
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        assertThat(r.stdout() + r.stderr()).contains("Configuration file is valid");
    }

    @Test
    void haproxyRefusesTheBesHelloAndRelaysTheBbmHelloAsOpgateDecides(@TempDir Path dir) throws Exception {
        Path haproxy = Tools.require("haproxy");
        // BES by SNI alone (the bundled rule also needs port 3101, and the loopback frontend port is not 3101).
        Files.writeString(dir.resolve("opgate.yaml"), "classes: [classes.yaml]\npolicies: [policies.yaml]\n");
        Files.writeString(dir.resolve("classes.yaml"), """
                classes:
                  - name: BES
                    rules: [{id: bes-srp-sni, sni: "*.srp.blackberry.com"}]
                  - name: BBM
                    rules: [{id: bbm-app, host: "*.bbm.blackberry.com"}]
                """);
        Files.writeString(dir.resolve("policies.yaml"), """
                policies:
                  - id: pta-2015-bes
                    class: BES
                    zone: Asia/Karachi
                    phases:
                      - {name: notice, from: 2015-07-24T00:00, action: notify}
                      - {name: deadline, from: 2015-12-01T00:00, action: block}
                """);
        OpgateConfig config = ConfigLoader.load(dir);
        int port = freeLoopbackPort();
        AtomicLong bytesIn = new AtomicLong();
        try (LoopbackServer echo = LoopbackServer.start(InetAddress.getLoopbackAddress(), 0, sock -> {
            byte[] buf = new byte[4096];
            InputStream in = sock.getInputStream();
            for (int n; (n = in.read(buf)) >= 0; ) {
                bytesIn.addAndGet(n);
                sock.getOutputStream().write(buf, 0, n);
                sock.getOutputStream().flush();
            }
        })) {
            String text = HaproxyExporter.export(config, "127.0.0.1:8443", "127.0.0.1:443").text()
                    .replace("    bind 127.0.0.1:8443\n", "    bind 127.0.0.1:" + port + "\n")
                    .replace("    server upstream 127.0.0.1:443\n", "    server upstream 127.0.0.1:"
                            + echo.address().getPort() + "\n");
            assertThat(text).contains("bind 127.0.0.1:" + port).doesNotContain("127.0.0.1:443\n");
            Path cfg = dir.resolve("opgate.haproxy.cfg");
            Files.writeString(cfg, text);
            Process p = new ProcessBuilder(haproxy.toString(), "-db", "-f", cfg.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
            try {
                // The probe sends no bytes, so it cannot count as data reaching the echo server.
                awaitListening(port, p, dir.resolve("haproxy.log"));

                assertThat(opgateVerdict(config, BES_SNI, port)).isEqualTo(Verdict.BLOCK);
                assertThat(relays(port, ClientHellos.of(BES_SNI))).as("haproxy relays the BES hello").isFalse();
                assertThat(bytesIn.get()).as("bytes that reached the echo server").isZero();

                assertThat(opgateVerdict(config, BBM_SNI, port)).isEqualTo(Verdict.ALLOW);
                assertThat(relays(port, ClientHellos.of(BBM_SNI))).as("haproxy relays the BBM hello").isTrue();
                assertThat(bytesIn.get()).isEqualTo(ClientHellos.of(BBM_SNI).length);
            } finally {
                p.destroy();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static Verdict opgateVerdict(OpgateConfig config, String sni, int port) {
        Flow flow = Flow.builder().sni(sni).ip("127.0.0.1").port(port).build();
        return config.policyEngine().decide(new IndexedClassifier(config.rules()).classify(flow), flow, Instant.now())
                .verdict();
    }

    /** Sends {@code hello} through haproxy; true if the echo server's copy of it comes back. */
    private static boolean relays(int port, byte[] hello) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(hello);
            s.getOutputStream().flush();
            byte[] back = readUpTo(s.getInputStream(), hello.length);
            if (back.length == 0) {
                return false;
            }
            assertThat(back).as("the echoed bytes").isEqualTo(Arrays.copyOf(hello, back.length));
            return true;
        } catch (SocketException e) {
            return false;   // reset by haproxy
        } catch (SocketTimeoutException e) {
            throw new AssertionError("haproxy neither relayed nor closed within 10 s", e);
        }
    }

    private static byte[] readUpTo(InputStream in, int n) throws IOException {
        byte[] buf = new byte[n];
        int got = 0;
        while (got < n) {
            int r = in.read(buf, got, n - got);
            if (r < 0) {
                break;
            }
            got += r;
        }
        return Arrays.copyOf(buf, got);
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitListening(int port, Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("haproxy exited with " + p.exitValue() + ":\n" + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("haproxy did not listen on 127.0.0.1:" + port + " within 15 s:\n" + Files.readString(log));
    }
}
