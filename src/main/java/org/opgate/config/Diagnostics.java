package org.opgate.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.opgate.source.SourceLocation;

/** Collects every error of a load, so the user sees all of them at once. */
public final class Diagnostics {

    private final List<ConfigError> errors = new ArrayList<>();

    public void error(SourceLocation where, String message, String expected) {
        errors.add(new ConfigError(where, message, expected));
    }

    /**
     * Records an {@link IllegalArgumentException} from a value parser. Those messages already
     * carry their own {@code (expected: …)} part, so it is split off to keep one format.
     */
    public void error(SourceLocation where, String prefix, IllegalArgumentException e) {
        String msg = e.getMessage();
        int i = msg.lastIndexOf(" (expected: ");
        if (i >= 0 && msg.endsWith(")")) {
            error(where, prefix + msg.substring(0, i), msg.substring(i + 12, msg.length() - 1));
        } else {
            error(where, prefix + msg, (String) null);
        }
    }

    /** Adds errors found elsewhere (a referenced config's), keeping their own locations. */
    public void addAll(List<ConfigError> found) {
        errors.addAll(found);
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    public int count() {
        return errors.size();
    }

    public void throwIfAny() throws ConfigException {
        if (!errors.isEmpty()) {
            List<ConfigError> sorted = new ArrayList<>(errors);
            sorted.sort(Comparator.comparing((ConfigError e) -> e.where().file())
                    .thenComparingInt(e -> e.where().line())
                    .thenComparingInt(e -> e.where().column()));
            throw new ConfigException(sorted);
        }
    }
}
