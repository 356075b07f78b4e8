package org.opgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.testing.BundledConfig;

/** {@code opgate demo} and {@code opgate check} on scenarios: the errors, before anything runs. */
class DemoCommandTest {

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void aBusyPortIsOneClearLineAndExitTwo(@TempDir Path dir) throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path config = BundledConfig.copyOnFreePorts(dir, busy.getLocalPort());

            Result r = run("demo", "--config", config.toString(), "--out", dir.resolve("out").toString());

            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err().strip().lines()).singleElement().asString()
                    .startsWith("opgate demo: ").contains(":" + busy.getLocalPort()).contains("--ephemeral-ports");
        }
    }

    @Test
    void aReportFolderThatCannotBeMadeIsFoundBeforeTheRun(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "in the way\n");
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // A busy port would stop the run at its start: the folder must be refused before that.
            Path config = BundledConfig.copyOnFreePorts(dir.resolve("config"), busy.getLocalPort());

            Result r = run("demo", "--config", config.toString(), "--out", file.resolve("out").toString());

            assertThat(r.code()).isEqualTo(2);
            assertThat(r.out()).doesNotContain("listening");
            assertThat(r.err().strip().lines()).singleElement().asString()
                    .startsWith("opgate demo: cannot write the report to " + file.resolve("out") + ": ")
                    .endsWith("(expected: a folder that can be created and written; see --out)");
        }
    }

    @Test
    void subscribersOfAClassTheScenarioHasNotAreAUsageError() {
        Result r = run("demo", "pakistan-2015", "--config", "config", "--ephemeral-ports", "--subscribers", "WAP=10");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--subscribers WAP: the scenario has no WAP population (expected: one of BES, BBM, BIS)");
    }

    @Test
    void anUnknownScenarioNamesTheFileItLookedFor() {
        Result r = run("demo", "pakistan-2016", "--config", "config", "--ephemeral-ports");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("config/scenarios/pakistan-2016.yaml");
    }

    @Test
    void checkReportsABrokenScenarioAtItsLineAndColumnAndExitsTwo(@TempDir Path dir) throws Exception {
        Path config = BundledConfig.copyOnFreePorts(dir, 0);
        Files.writeString(config.resolve("scenarios/broken.yaml"), Files.readString(config.resolve("scenarios/uae-2010.yaml"))
                .replace("  rate: 150000", "  rate: 150000\n  speed: 2"));

        Result r = run("check", config.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("scenarios/broken.yaml:20:3: unknown key 'speed' in clock");
    }

    @Test
    void checkCountsTheShippedScenarios() {
        Result r = run("check", "config");

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("6 scenarios");
    }
}
