package org.opgate.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Outside programs that some tests drive (curl). A test that needs one calls {@link #require}:
 * when the program is missing the test is skipped with a message saying so, unless the
 * environment sets {@code OPGATE_REQUIRE_TOOLS=1} (as {@code .ci/run} does), where it fails.
 */
public final class Tools {

    /** Set to 1 to make a missing tool a failure instead of a skip. */
    public static final String REQUIRE_ENV = "OPGATE_REQUIRE_TOOLS";

    /** Proxy settings a developer's shell may carry; a test's proxy must be the gateway and nothing else. */
    private static final List<String> PROXY_ENV = List.of("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
            "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY", "CURL_HOME");

    private Tools() {
    }

    /**
     * The executable {@code name} on the PATH. Skips the calling test if it is missing, or fails it
     * when {@value #REQUIRE_ENV}=1.
     */
    public static Path require(String name) {
        Path found = find(name);
        if (found != null) {
            return found;
        }
        String why = "'" + name + "' is not on the PATH (Debian: apt-get install -y " + name + ")";
        if ("1".equals(System.getenv(REQUIRE_ENV))) {
            Assertions.fail(why + ", and " + REQUIRE_ENV + "=1 says tests must not skip for it");
        }
        Assumptions.abort("skipped: " + why + "; set " + REQUIRE_ENV + "=1 to fail instead");
        throw new AssertionError("unreachable");
    }

    /** The executable {@code name} on the PATH, or null. */
    public static Path find(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** What a program did: its exit code and what it printed. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    /**
     * Runs {@code command} without standard input and without the caller's proxy variables, and
     * waits up to {@code bound} for it to end (then kills it and fails).
     */
    public static Result run(Duration bound, String... command) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(nullFile()));
        Map<String, String> env = pb.environment();
        PROXY_ENV.forEach(env::remove);
        try {
            Process p = pb.start();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            if (!p.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not end within " + bound.toSeconds() + " s");
            }
            return new Result(p.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw new AssertionError("cannot run " + List.of(command) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + List.of(command), e);
        }
    }

    /** Reads a process stream to its end on a thread of its own, so a full pipe never blocks the process. */
    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.completeExceptionally(e);
            }
        }, "tool-output");
        t.setDaemon(true);
        t.start();
        return f;
    }

    private static File nullFile() {
        return new File(File.separatorChar == '\\' ? "NUL" : "/dev/null");
    }
}
