package org.opgate.fuzz;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.config.ConfigError;
import org.opgate.config.ConfigException;
import org.opgate.config.ConfigLoader;
import org.opgate.testing.Mutator;

/**
 * Seeded malformed config through {@link ConfigLoader}, in a temporary copy of the bundled config
 * where one file (main, classes or policies) is changed per case: lines deleted, duplicated,
 * re-indented or cut, values replaced by ones of the wrong type or range, keys renamed, YAML
 * syntax broken (anchors, tags, flow brackets, tabs), and byte-level mutations. The loader must
 * either load it or throw a {@link ConfigException} whose every error names a file of the config
 * and a line; any other exception fails, with the seed and case number.
 *
 * <pre>
 * mvn test -Dtest=ConfigFuzzTest -Dopgate.fuzz.scale=10 -Dopgate.fuzz.seed=42
 * </pre>
 */
final class ConfigFuzzTest {

    private static final String[] FILES = {"opgate.yaml", "classes/blackberry.yaml", "policies/pta-2015.yaml"};
    private static final String[] VALUES = {"", "~", "null", "[]", "{}", "-1", "0", "99999999999999999999", "1e309",
            "true", "\"\"", "'", "\"", "*anchor", "&a x", "!!binary AAAA", "!!python/object:x {}", "0x10", "127.0.0.1:99999",
            "300.1.1.1/40", "::1/129", "2015-13-45T25:61", "P-1D", "9999999s", "-5ms", "ünïcode", "a\tb", "[1, [2, [3",
            "{a: {b: {c: ", ">-\n  folded", "|\n  literal", "? complex key", "<<: *x", "%YAML 1.1", "---", "..."};

    @Test
    void everyMalformedConfigIsAConfigExceptionWithFileAndLine(@TempDir Path dir) throws Exception {
        Fuzz fuzz = Fuzz.of("ConfigFuzzTest", 2_000);
        Random random = fuzz.random();
        long cpu = Fuzz.cpuNow();
        Path config = dir.resolve("config");
        List<byte[]> originals = new ArrayList<>();
        for (String f : FILES) {
            Path to = config.resolve(f);
            Files.createDirectories(to.getParent());
            byte[] bytes = Files.readAllBytes(Path.of("config").resolve(f));
            Files.write(to, bytes);
            originals.add(bytes);
        }
        ConfigLoader.load(config); // the unchanged copy loads
        for (int n = 0; n < fuzz.cases(); n++) {
            int which = random.nextInt(FILES.length);
            byte[] input = mutate(random, originals.get(which));
            Path file = config.resolve(FILES[which]);
            Files.write(file, input);
            try {
                ConfigLoader.load(config);
            } catch (ConfigException e) {
                for (ConfigError error : e.errors()) {
                    if (error.where().line() < 1 && !error.where().file().contains("config")) {
                        throw fuzz.failure(n, FILES[which] + ": error without a file and line: " + error, input);
                    }
                    if (error.message() == null || error.message().isBlank()) {
                        throw fuzz.failure(n, FILES[which] + ": error without a message: " + error, input);
                    }
                }
                if (e.errors().isEmpty()) {
                    throw fuzz.failure(n, FILES[which] + ": ConfigException without errors", input);
                }
            } catch (RuntimeException | StackOverflowError e) {
                AssertionError failure = fuzz.failure(n, FILES[which] + ": " + e, input);
                failure.initCause(e);
                throw failure;
            } finally {
                Files.write(file, originals.get(which));
            }
        }
        fuzz.report(cpu);
    }

    private static byte[] mutate(Random random, byte[] original) {
        if (random.nextInt(4) == 0) {
            return Mutator.mutate(random, original, 1 + random.nextInt(4));
        }
        List<String> lines = new ArrayList<>(Arrays.asList(new String(original, StandardCharsets.UTF_8).split("\n", -1)));
        for (int edits = 1 + random.nextInt(3); edits > 0 && !lines.isEmpty(); edits--) {
            int at = random.nextInt(lines.size());
            String line = lines.get(at);
            switch (random.nextInt(9)) {
                case 0 -> lines.remove(at);
                case 1 -> lines.add(at, line);
                case 2 -> lines.set(at, " ".repeat(random.nextInt(6)) + line.strip());
                case 3 -> lines.set(at, line.substring(0, random.nextInt(line.length() + 1)));
                case 4 -> lines.set(at, replaceValue(line, VALUES[random.nextInt(VALUES.length)]));
                case 5 -> lines.set(at, line.replaceFirst("[a-z-]+:", "x" + random.nextInt(9) + ":"));
                case 6 -> lines.add(at, lines.get(random.nextInt(lines.size())));
                case 7 -> lines.set(at, line.replace("  ", "\t"));
                default -> lines.subList(at, lines.size()).clear();
            }
        }
        return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    }

    private static String replaceValue(String line, String value) {
        int colon = line.indexOf(": ");
        return colon < 0 ? line + " " + value : line.substring(0, colon + 2) + value;
    }
}
