package org.opgate.config;

import java.util.List;
import org.opgate.source.SourceLocation;

/**
 * What a caller (a scenario) puts in place of parts of a config directory's {@code opgate.yaml}
 * when loading it: its own class, policy and operator files, and simnet routes tried before the
 * config's own. Everything else (listeners, clock, admin, limits) stays as written.
 *
 * @param classes     class files in first-match order (paths relative to the config directory),
 *                    or null to keep the config's own
 * @param policies    policy files, or null to keep the config's own; empty for none
 * @param operators   a file whose {@code operators} list replaces the config's, or null
 * @param extraRoutes simnet routes tried before the config's own (a scenario's servers win)
 */
public record ConfigOverrides(List<FileRef> classes, List<FileRef> policies, FileRef operators,
                              List<SimnetRoute> extraRoutes) {

    public static final ConfigOverrides NONE = new ConfigOverrides(null, null, null, List.of());

    public ConfigOverrides {
        classes = classes == null ? null : List.copyOf(classes);
        policies = policies == null ? null : List.copyOf(policies);
        extraRoutes = List.copyOf(extraRoutes);
    }

    /**
     * A file named somewhere else (a scenario), with where it was named, so that a missing file
     * is reported there.
     *
     * @param path  relative to the config directory; a glob expands in name order
     * @param where where the name was written
     */
    public record FileRef(String path, SourceLocation where) {
    }
}
