package org.opgate.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opgate.source.SourceLocation;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads one YAML file as a node tree (SnakeYAML's composer), so that every key and value keeps
 * its line and column, and offers typed accessors that report problems to {@link Diagnostics}
 * instead of throwing: a broken file yields all its errors, and callers carry on with whatever
 * could be read.
 *
 * <p>Public so that other file formats of the core (test suites, flow lists) report errors the
 * same way as the config: {@code file:line:column: what (expected: …)}, every error at once.
 */
public final class YamlReader {

    private static final int MAX_CODE_POINTS = 64 * 1024 * 1024;
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)");

    private final String file;
    private final Diagnostics diag;

    public YamlReader(String displayName, Diagnostics diag) {
        this.file = displayName;
        this.diag = diag;
    }

    public String file() {
        return file;
    }

    public Diagnostics diag() {
        return diag;
    }

    /** Parses a file's bytes; returns its root node, or null after reporting why there is none. */
    public Node parse(byte[] content) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(50);
        try (Reader reader = new InputStreamReader(new ByteArrayInputStream(content),
                StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT))) {
            Node root = new Yaml(options).compose(reader);
            if (root == null) {
                diag.error(SourceLocation.of(file, 1, 1), "file is empty", "a YAML mapping");
            }
            return root;
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? e.getContext() + ": " : "";
            diag.error(m == null ? SourceLocation.of(file, 1, 1) : at(m),
                    "YAML syntax: " + context + problem.trim(), "well-formed YAML");
        } catch (YAMLException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CharacterCodingException) {
                diag.error(SourceLocation.of(file, 1, 1), "file is not valid UTF-8", "UTF-8 text");
            } else {
                diag.error(SourceLocation.of(file, 1, 1), "YAML: " + e.getMessage(), "well-formed YAML");
            }
        } catch (IOException e) {
            diag.error(SourceLocation.of(file, 1, 1), "cannot read: " + e.getMessage(), "a readable file");
        }
        return null;
    }

    /** Reads a file's bytes, reporting a missing or unreadable file; null on failure. */
    public static byte[] read(Path path, String displayName, SourceLocation referencedFrom, Diagnostics diag) {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            diag.error(referencedFrom, "file '" + displayName + "' does not exist", "an existing YAML file");
        } catch (IOException e) {
            diag.error(referencedFrom, "cannot read '" + displayName + "': " + e.getMessage(), "a readable file");
        }
        return null;
    }

    public SourceLocation at(Node node) {
        return at(node.getStartMark());
    }

    private SourceLocation at(Mark m) {
        return SourceLocation.of(file, m.getLine() + 1, m.getColumn() + 1);
    }

    /**
     * The entries of a mapping node, keyed by their text. Reports a node that is not a mapping,
     * non-scalar and duplicate keys, and keys outside {@code allowed} (with a suggestion).
     * Missing or null values are left out.
     */
    public Map<String, Node> mapping(Node node, String what, Collection<String> allowed) {
        Map<String, Node> out = new LinkedHashMap<>();
        if (!(node instanceof MappingNode map)) {
            diag.error(at(node), what + " is " + describe(node), "a mapping with keys: " + String.join(", ", allowed));
            return out;
        }
        Map<String, Node> keys = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            Node k = t.getKeyNode();
            if (!(k instanceof ScalarNode sk)) {
                diag.error(at(k), "a key of " + what + " is " + describe(k), "plain text keys");
                continue;
            }
            String key = sk.getValue();
            if (keys.containsKey(key)) {
                diag.error(at(k), "duplicate key '" + key + "' in " + what + " (first at line "
                        + (keys.get(key).getStartMark().getLine() + 1) + ")", "each key once");
                continue;
            }
            keys.put(key, k);
            if (!allowed.contains(key)) {
                String hint = suggest(key, allowed);
                diag.error(at(k), "unknown key '" + key + "' in " + what + (hint == null ? "" : "; did you mean '" + hint + "'?"),
                        "one of " + String.join(", ", allowed));
                continue;
            }
            if (!isNull(t.getValueNode())) {
                out.put(key, t.getValueNode());
            }
        }
        return out;
    }

    /** Reports {@code key} missing from the mapping at {@code node}; returns false if missing. */
    public boolean require(Map<String, Node> map, String key, Node node, String what, String expected) {
        if (map.containsKey(key)) {
            return true;
        }
        diag.error(at(node), what + " has no '" + key + "'", expected);
        return false;
    }

    /** The items of a sequence; a single scalar counts as a one-item list when {@code scalarOk}. */
    public List<Node> sequence(Node node, String what, boolean scalarOk) {
        if (node instanceof SequenceNode seq) {
            return seq.getValue();
        }
        if (scalarOk && node instanceof ScalarNode) {
            return List.of(node);
        }
        diag.error(at(node), what + " is " + describe(node), "a list");
        return List.of();
    }

    /** A scalar's text, or null after reporting a node that is not a scalar. */
    public String string(Node node, String what) {
        if (node instanceof ScalarNode s) {
            return s.getValue();
        }
        diag.error(at(node), what + " is " + describe(node), "a single value");
        return null;
    }

    /** A non-empty scalar matching {@code pattern}, or null after reporting the problem. */
    public String identifier(Node node, String what, String pattern, String expected) {
        String s = string(node, what);
        if (s != null && !s.matches(pattern)) {
            diag.error(at(node), what + " '" + s + "' is not valid", expected);
            return null;
        }
        return s;
    }

    public Boolean bool(Node node, String what) {
        String s = string(node, what);
        if (s == null) {
            return null;
        }
        if (s.equals("true") || s.equals("false")) {
            return Boolean.valueOf(s);
        }
        diag.error(at(node), what + " '" + s + "' is not a boolean", "true or false");
        return null;
    }

    /** An integer in {@code [min, max]}, or null after reporting the problem. */
    public Long integer(Node node, String what, long min, long max) {
        String s = string(node, what);
        if (s == null) {
            return null;
        }
        try {
            long v = Long.parseLong(s.replace("_", ""));
            if (v < min || v > max) {
                diag.error(at(node), what + " " + v + " is out of range", min + ".." + max);
                return null;
            }
            return v;
        } catch (NumberFormatException e) {
            diag.error(at(node), what + " '" + s + "' is not a whole number", min + ".." + max);
            return null;
        }
    }

    /** A positive decimal number, or null after reporting the problem. */
    Double positiveNumber(Node node, String what) {
        String s = string(node, what);
        if (s == null) {
            return null;
        }
        try {
            double v = Double.parseDouble(s.replace("_", ""));
            if (!(v > 0) || Double.isInfinite(v)) {
                diag.error(at(node), what + " " + s + " is not positive", "a number greater than 0");
                return null;
            }
            return v;
        } catch (NumberFormatException e) {
            diag.error(at(node), what + " '" + s + "' is not a number", "a number greater than 0");
            return null;
        }
    }

    /** A duration like {@code 10s}, {@code 500ms}, {@code 5m} or {@code 1h}, at least {@code min}. */
    Duration duration(Node node, String what, Duration min) {
        String s = string(node, what);
        if (s == null) {
            return null;
        }
        Matcher m = DURATION.matcher(s.trim());
        if (!m.matches()) {
            diag.error(at(node), what + " '" + s + "' is not a duration", "a number with a unit: 500ms, 10s, 5m or 1h");
            return null;
        }
        long v = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(v);
            case "s" -> Duration.ofSeconds(v);
            case "m" -> Duration.ofMinutes(v);
            default -> Duration.ofHours(v);
        };
        if (d.compareTo(min) < 0) {
            diag.error(at(node), what + " " + s + " is too short", "at least " + min.toMillis() + "ms");
            return null;
        }
        return d;
    }

    public static boolean isNull(Node node) {
        return node instanceof ScalarNode s && (s.getTag().equals(Tag.NULL));
    }

    private static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return "'" + ((ScalarNode) node).getValue() + "'";
    }

    /** The allowed key closest to {@code key}, if it is a likely typo (edit distance ≤ 2). */
    public static String suggest(String key, Collection<String> allowed) {
        return new TreeSet<>(allowed).stream()
                .filter(a -> distance(key, a) <= (a.length() <= 4 ? 1 : 2))
                .min(Comparator.comparingInt(a -> distance(key, a)))
                .orElse(null);
    }

    /** Edit distance counting a swap of two neighbours as one edit (optimal string alignment). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    public static Set<String> keys(String... keys) {
        return new LinkedHashSet<>(List.of(keys));
    }
}
