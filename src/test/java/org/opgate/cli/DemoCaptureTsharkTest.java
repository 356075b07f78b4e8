package org.opgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.config.SimnetRoute.ServerKind;
import org.opgate.report.run.RunRecord;
import org.opgate.scenario.Scenario;
import org.opgate.scenario.ScenarioReader;
import org.opgate.testing.Await;
import org.opgate.testing.Tools;
import org.opgate.testing.TsharkSni;

/**
 * Demo traffic captured on loopback by tshark (a short run of the default scenario), then read back
 * by replay: for every flow whose client sent a ClientHello, replay's SNI equals tshark's. That is
 * sessions through the SNI listener, the hellos inside CONNECT and SOCKS5 tunnels, and the
 * gateway's flows to simnet's echo server. Needs tshark and the right to capture on lo (root in CI).
 * The capture holds whatever else runs on lo meanwhile; only flows to this run's listeners and echo
 * server are compared.
 */
final class DemoCaptureTsharkTest {

    private static final Path CONFIG = Path.of("config");

    @TempDir
    Path dir;

    private static boolean capturing(Path log) {
        try {
            return Files.readString(log).contains("Capturing on");
        } catch (IOException e) {
            return false;
        }
    }

    private static String endpoint(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    @Test
    void replayReadsTheSameSniAsTsharkForEveryFlowOfACapturedDemoRun() throws Exception {
        Path tshark = Tools.require("tshark");
        Path pcap = dir.resolve("demo.pcapng");
        Path log = dir.resolve("tshark.log");
        // A 64 MiB capture buffer, so a burst of sessions is not dropped by the kernel.
        Process capture = new ProcessBuilder(tshark.toString(), "-i", "lo", "-B", "64", "-f", "tcp", "-w", pcap.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        InetSocketAddress sni;
        InetSocketAddress http;
        InetSocketAddress socks;
        InetSocketAddress echo;
        RunRecord record;
        try {
            Await.until(Duration.ofSeconds(30), () -> capturing(log), "tshark capturing on lo");
            Scenario scenario = ScenarioReader.read(ScenarioReader.resolve("pakistan-2015", CONFIG), CONFIG);
            // The whole timeline in about 12 s of real time: on a loaded machine a session's handshake
            // round trips can take seconds, and one still open at the end carries no hello yet.
            double rate = Duration.between(scenario.start(), scenario.end()).toSeconds() / 12.0;
            try (ScenarioRun run = ScenarioRun.start(CONFIG, scenario,
                    new ScenarioRun.Options(rate, 3, Map.of("BES", 20, "BBM", 3000, "BIS", 3000), true, null))) {
                sni = run.stack().gateway().address("sni");
                http = run.stack().gateway().address("http");
                socks = run.stack().gateway().address("socks5");
                echo = run.simnet().address(ServerKind.ECHO);
                record = run.await(Duration.ofMinutes(1));
            }
            Thread.sleep(500); // the last packets reach tshark's buffer
        } finally {
            capture.destroy();
            assertThat(capture.waitFor(20, TimeUnit.SECONDS)).as("tshark stopped").isTrue();
        }
        assertThat(record.rows().stream().mapToLong(r -> r.completed() + r.refused() + r.cut()).sum())
                .as("sessions that got an answer from the gateway (run: %s)", record.settings()).isPositive();

        Set<String> servers = Set.of(endpoint(sni), endpoint(http), endpoint(socks), endpoint(echo));
        // tshark decodes TLS inside a CONNECT tunnel by itself once it reads the proxy's 200; inside
        // SOCKS5 it hands the tunnel to the dissector of the requested port (BES asks for 3101).
        List<String> decodeAs = List.of("tcp.port==" + sni.getPort() + ",tls", "tcp.port==" + echo.getPort() + ",tls",
                "tcp.port==" + http.getPort() + ",http", "tcp.port==" + socks.getPort() + ",socks", "tcp.port==3101,tls");
        Map<String, String> expected = TsharkSni.tshark(tshark, pcap, servers, decodeAs);
        Map<String, String> replayed = TsharkSni.replay(pcap, servers);

        assertThat(expected.values()).as("SNI names seen").contains("goods.bbm.blackberry.com", "bis.na.blackberry.com");
        for (InetSocketAddress through : List.of(sni, http, socks, echo)) {
            assertThat(expected.keySet()).as("ClientHellos tshark found in flows to %s", through)
                    .anyMatch(k -> k.contains(" > " + endpoint(through)));
        }
        List<String> differ = new ArrayList<>();
        Set<String> flows = new TreeSet<>(expected.keySet());
        flows.addAll(replayed.keySet());
        for (String f : flows) {
            if (!Objects.equals(expected.get(f), replayed.get(f))) {
                differ.add(f + " tshark=" + expected.get(f) + " replay=" + replayed.get(f));
            }
        }
        if (!differ.isEmpty()) {
            // Kept for diagnosis: the temporary directory goes with the test.
            Path kept = Path.of("target", "failed-captures", "demo-" + System.currentTimeMillis() + ".pcapng");
            Files.createDirectories(kept.getParent());
            Files.copy(pcap, kept);
            differ.add(0, "capture kept at " + kept);
        }
        assertThat(differ).as("flows where replay's SNI differs from tshark's, of %s (servers %s; tshark: %s)",
                expected.size(), servers, Files.readString(log).strip()).isEmpty();
    }
}
