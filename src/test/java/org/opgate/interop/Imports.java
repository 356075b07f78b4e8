package org.opgate.interop;

import java.nio.file.Files;
import java.nio.file.Path;
import org.opgate.classify.IndexedClassifier;
import org.opgate.config.ConfigException;
import org.opgate.config.ConfigLoader;
import org.opgate.config.OpgateConfig;
import org.opgate.flow.Flow;

/** Loads an imported class file the way a user would: referenced from a main file, through {@link ConfigLoader}. */
final class Imports {

    private Imports() {
    }

    static OpgateConfig load(Path dir, ImportResult result) throws Exception {
        Files.writeString(dir.resolve("opgate.yaml"), "classes: [imported.yaml]\n");
        Files.writeString(dir.resolve("imported.yaml"), result.toYaml());
        try {
            return ConfigLoader.load(dir);
        } catch (ConfigException e) {
            throw new AssertionError("imported YAML does not load:\n" + e.getMessage() + "\n" + result.toYaml(), e);
        }
    }

    /** The class of a TLS flow to {@code sni} on {@code port} (no address known). */
    static String classOfSni(OpgateConfig cfg, String sni, int port) {
        return new IndexedClassifier(cfg.rules()).classify(Flow.builder().sni(sni).port(port).build()).trafficClass();
    }

    /** The class of a flow to address {@code ip} on {@code port} (no name known). */
    static String classOfIp(OpgateConfig cfg, String ip, int port) {
        return new IndexedClassifier(cfg.rules()).classify(Flow.builder().ip(ip).port(port).build()).trafficClass();
    }
}
