package org.opgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.testing.Await;
import org.opgate.testing.BundledConfig;
import org.opgate.testing.GatewayHarness;
import org.opgate.testing.Tools;
import org.opgate.testing.Wire;

/**
 * {@code opgate run} in its own JVM with a small open-file limit ({@code ulimit -n}), filled up
 * by idle clients: the listener says in one line that it cannot accept (no Netty warning with a
 * stack trace every second), and serves again once the clients are gone.
 */
final class RunOutOfOpenFilesTest {

    private static final int OPEN_FILES = 400;

    @Test
    void aListenerOutOfOpenFilesSaysSoInOneLineAndServesAgainWhenFilesAreFree(@TempDir Path dir) throws Exception {
        Tools.require("bash");
        Path config = BundledConfig.copyOnFreePorts(dir.resolve("config"), 0);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path stderr = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder("bash", "-c", "ulimit -n " + OPEN_FILES + " && exec \"$@\"", "run",
                java.toString(), "-cp", System.getProperty("java.class.path"), "org.opgate.cli.Main", "run",
                config.toString(), "--quiet")
                .redirectError(stderr.toFile()).start();
        List<Socket> idle = new ArrayList<>();
        try {
            InetSocketAddress http = httpListener(p).get(60, TimeUnit.SECONDS);
            assertThat(http).as("the http listener line; stderr: %s", Files.readString(stderr)).isNotNull();

            // More connections than the process may have files: the accepts beyond the limit fail.
            for (int i = 0; i < OPEN_FILES + 50; i++) {
                idle.add(Wire.connect(http));
            }
            Await.until(() -> read(stderr).contains("listener http: cannot accept a connection"),
                    "the listener to report that it cannot accept");
            for (Socket s : idle) {
                s.close();
            }
            idle.clear();

            Await.until(Duration.ofSeconds(60), () -> {
                try (Socket s = Wire.connect(http)) {
                    return Wire.connectRequest(s, GatewayHarness.BBM_HOST + ":443").status() == 200;
                } catch (IOException | AssertionError e) {
                    return false;
                }
            }, "a tunnel once the idle clients are gone");
            assertThat(Files.readString(stderr)).doesNotContain("reached at the tail of the pipeline");
        } finally {
            for (Socket s : idle) {
                s.close();
            }
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    /** The address of the {@code listening http …} line run prints. */
    private static CompletableFuture<InetSocketAddress> httpListener(Process p) {
        return CompletableFuture.supplyAsync(() -> {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            try {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.startsWith("listening http ")) {
                        String hostPort = line.split(" ")[2];
                        int colon = hostPort.lastIndexOf(':');
                        // Keep draining stdout so the process never blocks on a full pipe.
                        CompletableFuture.runAsync(() -> drain(r));
                        return new InetSocketAddress(hostPort.substring(0, colon),
                                Integer.parseInt(hostPort.substring(colon + 1)));
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
    }

    private static void drain(BufferedReader r) {
        try {
            while (r.readLine() != null) {
                // nothing to keep
            }
        } catch (IOException e) {
            // the process ended
        }
    }
}
