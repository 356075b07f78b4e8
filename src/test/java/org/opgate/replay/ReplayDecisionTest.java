package org.opgate.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.config.ConfigLoader;
import org.opgate.config.OpgateConfig;
import org.opgate.replay.CaptureWriter.Link;
import org.opgate.replay.Replay.ReplayedFlow;
import org.opgate.testing.ClientHellos;

/** Deciding captured flows: the flow the rules see, the instant, and the operators. */
final class ReplayDecisionTest {

    @TempDir
    Path dir;

    private Capture capture(CaptureWriter w) throws Exception {
        Path file = dir.resolve("c.pcap");
        w.writePcap(file, ByteOrder.LITTLE_ENDIAN, false);
        return CaptureAnalyzer.analyze(file);
    }

    /** The bundled config with the BES policy binding only mobilink and ufone. */
    private OpgateConfig twoOperatorConfig() throws Exception {
        Path copy = dir.resolve("config");
        try (Stream<Path> files = Files.walk(Path.of("config"))) {
            for (Path p : files.toList()) {
                Path to = copy.resolve(Path.of("config").relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        Path policy = copy.resolve("policies/pta-2015.yaml");
        Files.writeString(policy, Files.readString(policy).replace("    operators: all\n",
                "    operators: [mobilink, ufone]\n"));
        return ConfigLoader.load(copy);
    }

    @Test
    void operatorsThatDisagreeGetAVerdictEachGroup() throws Exception {
        Capture c = capture(DemoCaptures.ethernet());

        Replay.Report r = Replay.decide(c, twoOperatorConfig(), null);

        assertThat(r.flows().get(0).verdictText()).isEqualTo("mobilink,ufone block; telenor,zong,warid allow");
        assertThat(r.summary()).containsEntry(List.of("BES", "mobilink,ufone block; telenor,zong,warid allow"), 2);
    }

    @Test
    void aClientInAnOperatorsPoolIsDecidedForThatOperatorOnly() throws Exception {
        Capture c = capture(new CaptureWriter(DemoCaptures.START)
                .tcp(Link.ETHERNET, "127.3.0.9", 50001, "203.0.113.10", 3101,
                        ClientHellos.of("gb.srp.blackberry.com"), 1000)
                .tcp(Link.ETHERNET, "127.2.0.9", 50002, "203.0.113.10", 3101,
                        ClientHellos.of("gb.srp.blackberry.com"), 1000));

        Replay.Report r = Replay.decide(c, twoOperatorConfig(), null);

        assertThat(r.flows()).extracting(f -> f.outcomes().get(0).operators(), ReplayedFlow::verdictText)
                .containsExactly(tuple(List.of("telenor"), "allow"), tuple(List.of("ufone"), "block"));
    }

    @Test
    void eachFlowIsDecidedAtItsFirstPacketUnlessAtIsGiven() throws Exception {
        OpgateConfig cfg = ConfigLoader.load(Path.of("config"));
        Instant deadline = Instant.parse("2015-11-30T19:00:00Z");
        Capture c = capture(new CaptureWriter(deadline.minusMillis(3))
                .tcp(Link.ETHERNET, "10.0.0.5", 50001, "203.0.113.10", 3101, ClientHellos.of("gb.srp.blackberry.com"),
                        1000)
                .tcp(Link.ETHERNET, "10.0.0.5", 50002, "203.0.113.10", 3101, ClientHellos.of("de.srp.blackberry.com"),
                        1000));

        assertThat(Replay.decide(c, cfg, null).flows()).extracting(ReplayedFlow::at, ReplayedFlow::verdictText)
                .containsExactly(tuple(deadline.minusMillis(3), "notify"), tuple(deadline.plusMillis(3), "block"));
        assertThat(Replay.decide(c, cfg, deadline).flows()).extracting(ReplayedFlow::verdictText)
                .containsExactly("block", "block");
    }

    @Test
    void aConnectRequestIsClassifiedByItsTargetNotTheProxy() throws Exception {
        Capture c = capture(new CaptureWriter(DemoCaptures.START)
                .tcp(Link.ETHERNET, "10.0.0.5", 50001, "192.0.2.1", 8080,
                        CaptureWriter.http("CONNECT 68.171.224.5:3101 HTTP/1.1\n\n"), 1000));

        ReplayedFlow f = Replay.decide(c, ConfigLoader.load(Path.of("config")), null).flows().get(0);

        assertThat(f.flow().ip()).hasToString("68.171.224.5");
        assertThat(f.flow().port()).isEqualTo(3101);
        assertThat(f.rule()).isEqualTo("bes-srp-68.171.224");
        assertThat(f.verdictText()).isEqualTo("block");
    }
}
