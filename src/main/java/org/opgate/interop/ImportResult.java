package org.opgate.interop;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What an import carried over and what it could not.
 *
 * @param format the format read
 * @param file   the source file's name as given, used in comments and notes
 * @param rules  imported rules, in file order
 * @param notes  lines or items left out, with the reason, in file order
 */
public record ImportResult(ImportFormat format, String file, List<ImportedRule> rules, List<Note> notes) {

    public ImportResult {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(file, "file");
        rules = List.copyOf(rules);
        notes = List.copyOf(notes);
    }

    /** True if every line was carried over. */
    public boolean complete() {
        return notes.isEmpty();
    }

    /**
     * The rules as an opgate class file. Rules keep their file order (first match matters): a run
     * of rules of one class becomes one {@code classes} entry, and a class that comes back later
     * gets another entry, as the class-file format allows. Rule ids are {@code <class>-imported-<n>},
     * numbered per class; each rule carries a comment naming its source line.
     */
    public String toYaml() {
        StringBuilder y = new StringBuilder();
        y.append("# Imported by: opgate import --format ").append(format.cliName()).append(' ').append(file).append('\n');
        y.append("# ").append(rules.size()).append(" rule").append(rules.size() == 1 ? "" : "s").append(" carried over; ")
                .append(notes.size()).append(" line").append(notes.size() == 1 ? "" : "s")
                .append(" or item").append(notes.size() == 1 ? "" : "s").append(" left out (listed on stderr).\n");
        y.append("# Order matters: the first rule that matches a flow decides its class.\n");
        if (rules.isEmpty()) {
            return y.append("classes: []\n").toString();
        }
        y.append("classes:\n");
        Map<String, Integer> counts = new HashMap<>();
        Set<String> described = new HashSet<>();
        String current = null;
        for (ImportedRule r : rules) {
            if (!r.className().equals(current)) {
                current = r.className();
                y.append("  - name: ").append(quote(current)).append('\n');
                if (described.add(current)) {
                    y.append("    description: ").append(quote("imported from " + file)).append('\n');
                }
                y.append("    rules:\n");
            }
            int n = counts.merge(current, 1, Integer::sum);
            y.append("      # ").append(r.source().fileAndLine()).append('\n');
            y.append("      - id: ").append(quote(current + "-imported-" + n)).append('\n');
            if (r.host() != null) {
                y.append("        host: ").append(quote(r.host().toString())).append('\n');
            }
            if (r.cidr() != null) {
                y.append("        cidr: ").append(quote(r.cidr().toString())).append('\n');
            }
            if (r.ports() != null) {
                StringBuilder ports = new StringBuilder();
                r.ports().forEachRange((lo, hi) -> ports.append(ports.length() == 0 ? "" : ", ")
                        .append(lo == hi ? String.valueOf(lo) : quote(lo + "-" + hi)));
                y.append("        ports: [").append(ports).append("]\n");
            }
        }
        return y.toString();
    }

    /** A double-quoted YAML scalar; every value written is checked text, so only quotes and backslashes need escaping. */
    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
