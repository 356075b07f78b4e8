package org.opgate.cli;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code run --watch}: reloads when a file under the config directory changes. Changes within
 * half a second are taken together, so an editor's save (write, rename) reloads once.
 */
final class ConfigWatch {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatch.class);

    private ConfigWatch() {
    }

    /** Starts watching; closing the returned handle stops it. */
    static java.io.Closeable start(Path config, Runnable reload) throws IOException {
        Path dir = Files.isDirectory(config) ? config : config.toAbsolutePath().getParent();
        WatchService ws = FileSystems.getDefault().newWatchService();
        try (Stream<Path> dirs = Files.walk(dir)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                d.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
        }
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    WatchKey key = ws.take();
                    key.pollEvents();
                    key.reset();
                    // Let the rest of a save land, then drain what it caused.
                    Thread.sleep(500);
                    WatchKey more;
                    while ((more = ws.poll(10, TimeUnit.MILLISECONDS)) != null) {
                        more.pollEvents();
                        more.reset();
                    }
                    reload.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.nio.file.ClosedWatchServiceException e) {
                // Closed on purpose: the watch ends.
            } catch (RuntimeException e) {
                LOG.warn("config watch stopped", e);
            }
        }, "opgate-config-watch");
        t.setDaemon(true);
        t.start();
        return ws;
    }
}
