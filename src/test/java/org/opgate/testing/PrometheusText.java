package org.opgate.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A parsed Prometheus text exposition (format 0.0.4), enough for tests: one {@link Sample} per
 * {@code name{label="value",…} value} line; comments ({@code # HELP}, {@code # TYPE}) and blank
 * lines are skipped; label values are unescaped ({@code \\}, {@code \"}, {@code \n}).
 *
 * <pre>
 * PrometheusText m = PrometheusText.parse(scrape);
 * double allowed = m.value("opgate_flows_total", "class", "BBM", "verdict", "allow");
 * </pre>
 */
public final class PrometheusText {

    /** One line: metric name, labels in their order, value. */
    public record Sample(String name, Map<String, String> labels, double value) {
        /** True if every given {@code key, value} pair is among the labels. */
        public boolean has(String... labelPairs) {
            for (int i = 0; i < labelPairs.length; i += 2) {
                if (!labelPairs[i + 1].equals(labels.get(labelPairs[i]))) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = List.copyOf(samples);
    }

    /**
     * Parses {@code text}.
     *
     * @throws AssertionError naming the line if a line is not a sample, comment or blank
     */
    public static PrometheusText parse(String text) {
        List<Sample> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            try {
                out.add(sample(line));
            } catch (RuntimeException e) {
                throw new AssertionError("line " + lineNo + " is not a Prometheus sample: '" + line + "' (" + e.getMessage() + ")", e);
            }
        }
        return new PrometheusText(out);
    }

    private static Sample sample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("bad metric name '" + name + "'");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String key = line.substring(i, eq).trim();
                if (line.charAt(eq + 1) != '"') {
                    throw new IllegalArgumentException("label " + key + " has no quoted value");
                }
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (char c; (c = line.charAt(j)) != '"'; j++) {
                    if (c == '\\') {
                        char next = line.charAt(++j);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(key, value.toString()) != null) {
                    throw new IllegalArgumentException("label " + key + " twice");
                }
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        String[] rest = line.substring(i).trim().split(" ");
        return new Sample(name, labels, parseValue(rest[0]));
    }

    private static double parseValue(String v) {
        return switch (v) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(v);
        };
    }

    public List<Sample> samples() {
        return samples;
    }

    /** Every sample whose name matches. */
    public List<Sample> samples(Predicate<String> name) {
        return samples.stream().filter(s -> name.test(s.name())).toList();
    }

    /** Every sample of metric {@code name} that has all the given label pairs. */
    public List<Sample> samples(String name, String... labelPairs) {
        return samples.stream().filter(s -> s.name().equals(name) && s.has(labelPairs)).toList();
    }

    /**
     * The value of the one sample of {@code name} with exactly these labels (as pairs), or 0 if
     * there is none (a counter that never ticked is not exported).
     */
    public double value(String name, String... labelPairs) {
        List<Sample> match = samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().size() == labelPairs.length / 2 && s.has(labelPairs))
                .toList();
        if (match.size() > 1) {
            throw new AssertionError("several samples of " + name + " with " + List.of(labelPairs) + ": " + match);
        }
        return match.isEmpty() ? 0 : match.get(0).value();
    }

    /** The sum over every sample of {@code name} that has the given label pairs (and maybe others). */
    public double sum(String name, String... labelPairs) {
        return samples(name, labelPairs).stream().mapToDouble(Sample::value).sum();
    }
}
