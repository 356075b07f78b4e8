package org.opgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --watch}: a change under the config directory, also in a subdirectory, triggers a reload. */
final class ConfigWatchTest {

    @Test
    void changeInASubdirectoryOfTheConfigTriggersAReload(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("classes"));
        Files.writeString(dir.resolve("opgate.yaml"), "classes: [classes/c.yaml]\n");
        Files.writeString(dir.resolve("classes/c.yaml"), "classes: []\n");
        Semaphore reloads = new Semaphore(0);
        try (var watch = ConfigWatch.start(dir, reloads::release)) {
            Files.writeString(dir.resolve("classes/c.yaml"), "classes: [{name: BES, rules: [{ports: 3101}]}]\n");

            assertThat(reloads.tryAcquire(10, TimeUnit.SECONDS)).as("a reload within 10 s of the change").isTrue();
        }
    }
}
