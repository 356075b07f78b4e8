package org.opgate.interop;

import java.util.List;
import java.util.Objects;

/**
 * An exported configuration and what it could not express.
 *
 * @param text  the configuration text (HAProxy or nftables)
 * @param notes rules, phases and policy scopes the target cannot express, in config order
 */
public record Export(String text, List<Note> notes) {

    public Export {
        Objects.requireNonNull(text, "text");
        notes = List.copyOf(notes);
    }
}
