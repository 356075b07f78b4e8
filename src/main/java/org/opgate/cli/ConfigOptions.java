package org.opgate.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.opgate.config.ConfigError;
import org.opgate.config.ConfigException;
import org.opgate.config.ConfigLoader;
import org.opgate.config.OpgateConfig;

/** Loading a config for a command, with errors printed one per line. */
final class ConfigOptions {

    /** The config directory when none is given: $OPGATE_CONFIG, else ./config. */
    static final String DEFAULT_DIR = "${env:OPGATE_CONFIG:-config}";

    private ConfigOptions() {
    }

    /** Loads {@code dir}; on errors prints them to {@code err} and returns null. */
    static OpgateConfig load(Path dir, String command, PrintWriter err) {
        try {
            return ConfigLoader.load(dir);
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                err.println(error);
            }
            err.println("opgate " + command + ": " + e.errors().size() + " error" + (e.errors().size() == 1 ? "" : "s")
                    + " in config " + dir);
            return null;
        }
    }
}
