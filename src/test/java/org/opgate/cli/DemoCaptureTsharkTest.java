package org.opgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * by replay: for every flow that starts with a ClientHello (sessions through the SNI listener, and
 * the gateway's flows to simnet), replay's SNI equals tshark's. Needs tshark and the right to
 * capture on lo (root in CI).
 */
final class DemoCaptureTsharkTest {

    private static final Path CONFIG = Path.of("config");

    @TempDir
    Path dir;

    private static boolean capturing(Path log) {
        try {
            return Files.readString(log).contains("Capturing on");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void replayReadsTheSameSniAsTsharkForEveryFlowOfACapturedDemoRun() throws Exception {
        Path tshark = Tools.require("tshark");
        Path pcap = dir.resolve("demo.pcapng");
        Path log = dir.resolve("tshark.log");
        // A 64 MiB capture buffer, so a burst of sessions is not dropped by the kernel.
        Process capture = new ProcessBuilder(tshark.toString(), "-i", "lo", "-B", "64", "-f", "tcp", "-w", pcap.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int sni;
        int echo;
        RunRecord record;
        try {
            Await.until(Duration.ofSeconds(30), () -> capturing(log), "tshark capturing on lo");
            Scenario scenario = ScenarioReader.read(ScenarioReader.resolve("pakistan-2015", CONFIG), CONFIG);
            double rate = Duration.between(scenario.start(), scenario.end()).toSeconds() / 6.0;
            try (ScenarioRun run = ScenarioRun.start(CONFIG, scenario,
                    new ScenarioRun.Options(rate, 3, Map.of("BES", 20, "BBM", 3000, "BIS", 3000), true, null))) {
                sni = run.stack().gateway().address("sni").getPort();
                echo = run.simnet().address(ServerKind.ECHO).getPort();
                record = run.await(Duration.ofMinutes(1));
            }
            Thread.sleep(500); // the last packets reach tshark's buffer
        } finally {
            capture.destroy();
            assertThat(capture.waitFor(20, TimeUnit.SECONDS)).as("tshark stopped").isTrue();
        }
        assertThat(record.rows().stream().mapToLong(r -> r.completed()).sum()).as("sessions completed").isPositive();

        // Flows whose first client bytes are a ClientHello: sessions through the SNI listener, and the
        // gateway's flows to simnet carrying the hello of every allowed session (CONNECT and SOCKS5
        // ones too). The client legs of CONNECT and SOCKS5 sessions are left out: replay reads their
        // proxy request, not the hello inside the tunnel, where tshark reads both.
        java.util.Set<Integer> helloFirst = java.util.Set.of(sni, echo);
        Map<String, String> expected = TsharkSni.tshark(tshark, pcap, helloFirst, sni, echo);
        Map<String, String> replayed = TsharkSni.replay(pcap, helloFirst);
        assertThat(expected).as("ClientHellos tshark found in the capture").hasSizeGreaterThan(20);
        assertThat(expected.values()).as("SNI names seen").contains("goods.bbm.blackberry.com", "bis.na.blackberry.com");
        java.util.List<String> differ = new java.util.ArrayList<>();
        java.util.Set<String> endpoints = new java.util.TreeSet<>(expected.keySet());
        endpoints.addAll(replayed.keySet());
        for (String e : endpoints) {
            if (!java.util.Objects.equals(expected.get(e), replayed.get(e))) {
                differ.add(e + " tshark=" + expected.get(e) + " replay=" + replayed.get(e));
            }
        }
        // Known and open (issue 7's note): in about one run in five, one flow of some 1,700 (a session
        // from an explicitly bound client port to the SNI listener) is read by tshark and missing
        // from replay's TLS flows. Tolerated once per run until it is understood; a flow that replay
        // reads with another SNI, or more than one missing flow, fails.
        List<String> missing = differ.stream().filter(d -> d.endsWith(" replay=null")).toList();
        assertThat(differ).as("flows where replay's SNI differs from tshark's, of %s (tshark: %s)", expected.size(),
                Files.readString(log).strip()).hasSameSizeAs(missing);
        assertThat(missing).as("flows tshark read as TLS and replay did not, of %s", expected.size()).hasSizeLessThanOrEqualTo(1);
    }
}
