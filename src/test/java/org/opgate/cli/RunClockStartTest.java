package org.opgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.testing.BundledConfig;

/**
 * {@code opgate run --at T --rate R} in its own JVM (it waits for SIGINT or SIGTERM, which a test
 * JVM must not take over): the simulated clock starts at T once the listeners are up, not when
 * the config was read, so the seconds spent starting are not R times as many simulated ones.
 */
final class RunClockStartTest {

    private static final Instant AT = Instant.parse("2015-11-30T07:00:00Z");   // 12:00 PKT, 12 h before the deadline

    @Test
    void theSimulatedClockStartsAtAtWhenTheGatewayIsListening(@TempDir Path dir) throws Exception {
        Path config = BundledConfig.copyOnFreePorts(dir.resolve("config"), 0);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "org.opgate.cli.Main", "run", config.toString(), "--at", AT.toString(), "--rate", "100000", "--quiet")
                .redirectError(dir.resolve("stderr.txt").toFile()).start();
        try {
            CompletableFuture<String> clockLine = CompletableFuture.supplyAsync(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        if (line.startsWith("clock ")) {
                            return line;
                        }
                    }
                    return null;
                } catch (IOException e) {
                    return null;
                }
            });
            String line = clockLine.get(60, TimeUnit.SECONDS);
            assertThat(line).as("the clock line; stderr: %s", Files.readString(dir.resolve("stderr.txt")))
                    .startsWith("clock simulated from ");
            Instant printed = Instant.parse(line.split(" ")[3]);

            // Starting the listeners takes a second or more; at rate 100000 that was over a day of
            // simulated time. Once the clock waits for them, the line follows its start by far less
            // than the 0.43 s of real time that 12 simulated hours take at this rate.
            assertThat(printed).isAfterOrEqualTo(AT).isBefore(AT.plusSeconds(12 * 3600));
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        assertThat(p.exitValue()).as("exit code after SIGTERM").isZero();
    }
}
