package org.opgate.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Copies of the bundled config ({@code config/}) for tests that start a whole gateway or demo. */
public final class BundledConfig {

    private BundledConfig() {
    }

    /**
     * Copies the bundled config into {@code dir} with its http listener on {@code httpPort}
     * (0 for a free one), the other listeners and the admin API on free ports, and no decision log.
     */
    public static Path copyOnFreePorts(Path dir, int httpPort) throws IOException {
        Path src = Path.of("config");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : files.toList()) {
                Path to = dir.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        Path main = dir.resolve("opgate.yaml");
        Files.writeString(main, Files.readString(main).replace("127.0.0.1:3128", "127.0.0.1:" + httpPort)
                .replace("127.0.0.1:1080", "127.0.0.1:0").replace("127.0.0.1:8443", "127.0.0.1:0")
                .replace("127.0.0.1:9090", "127.0.0.1:0").replace("decision-log: out/decisions.jsonl", ""));
        return dir;
    }
}
