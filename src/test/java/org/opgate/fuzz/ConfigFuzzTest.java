package org.opgate.fuzz;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.config.ConfigError;
import org.opgate.config.ConfigException;
import org.opgate.config.ConfigLoader;
import org.opgate.testing.Mutator;

/**
 * Seeded malformed config through {@link ConfigLoader}, in a temporary copy of a config (the
 * bundled one, and a small one that uses every key) where one file (main, classes or policies) is changed per case: lines deleted, duplicated,
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

    private static final Path SMALL = Path.of("src/test/resources/fuzz/config");
    private static final String[] FILES = {"opgate.yaml", "classes/blackberry.yaml", "policies/pta-2015.yaml"};
    private static final String[] VALUES = {"", "~", "null", "[]", "{}", "-1", "0", "99999999999999999999", "1e309",
            "true", "\"\"", "'", "\"", "*anchor", "&a x", "!!binary AAAA", "!!python/object:x {}", "0x10", "127.0.0.1:99999",
            "300.1.1.1/40", "::1/129", "2015-13-45T25:61", "P-1D", "9999999s", "-5ms", "ünïcode", "a\tb", "[1, [2, [3",
            "{a: {b: {c: ", ">-\n  folded", "|\n  literal", "? complex key", "<<: *x", "%YAML 1.1", "---", "..."};

    /** The bundled files as they are, comments and all: what a user edits. */
    @Test
    void everyMalformedBundledConfigIsAConfigExceptionWithFileAndLine(@TempDir Path dir) throws Exception {
        fuzzLoader(Fuzz.of("ConfigFuzzTest.bundled", 2_000), Path.of("config"), dir);
    }

    /**
     * A small config that uses every key (src/test/resources/fuzz/config): a case costs what its
     * YAML nodes cost, so a seed a tenth the size of the bundled files reaches the 100,000
     * cases in CI.
     */
    @Test
    void everyMalformedSmallConfigIsAConfigExceptionWithFileAndLine(@TempDir Path dir) throws Exception {
        fuzzLoader(Fuzz.of("ConfigFuzzTest.small", 100_000), SMALL, dir);
    }

    /**
     * Runs the cases on as many threads as there are cores (two here; CI's other tests wait on
     * this one), each thread in its own copy of the config. Case {@code n} draws its input from
     * its own seeded random source, so it is the same case whatever thread runs it; the failure
     * reported is the one with the lowest case number.
     */
    private static void fuzzLoader(Fuzz fuzz, Path seed, Path dir) throws Exception {
        List<byte[]> originals = new ArrayList<>();
        for (String f : FILES) {
            originals.add(Files.readAllBytes(seed.resolve(f)));
        }
        int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        ConcurrentSkipListMap<Integer, AssertionError> failures = new ConcurrentSkipListMap<>();
        AtomicLong cpu = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> shards = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int shard = t;
                Path config = dir.resolve("config-" + t);
                for (int i = 0; i < FILES.length; i++) {
                    Files.createDirectories(config.resolve(FILES[i]).getParent());
                    Files.write(config.resolve(FILES[i]), originals.get(i));
                }
                ConfigLoader.load(config); // the unchanged copy loads
                shards.add(pool.submit(() -> {
                    long start = Fuzz.cpuNow();
                    try {
                        for (int n = shard; n < fuzz.cases() && (failures.isEmpty() || n < failures.firstKey()); n += threads) {
                            AssertionError failure = fuzzCase(fuzz, n, config, originals);
                            if (failure != null) {
                                failures.put(n, failure);
                            }
                        }
                    } finally {
                        cpu.addAndGet(Fuzz.cpuNow() - start);
                    }
                    return null;
                }));
            }
            for (Future<?> shard : shards) {
                shard.get();
            }
        } finally {
            pool.shutdownNow();
        }
        if (!failures.isEmpty()) {
            throw failures.firstEntry().getValue();
        }
        fuzz.reportCpu(cpu.get());
    }

    /** One case: mutate one file, load, restore the file. Returns the failure, or null. */
    private static AssertionError fuzzCase(Fuzz fuzz, int n, Path config, List<byte[]> originals) throws Exception {
        Random random = fuzz.random(n);
        int which = random.nextInt(FILES.length);
        byte[] input = mutate(random, originals.get(which));
        Path file = config.resolve(FILES[which]);
        Files.write(file, input);
        try {
            ConfigLoader.load(config);
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                if (error.where().line() < 1 && !error.where().file().contains("config")) {
                    return fuzz.failure(n, FILES[which] + ": error without a file and line: " + error, input);
                }
                if (error.message() == null || error.message().isBlank()) {
                    return fuzz.failure(n, FILES[which] + ": error without a message: " + error, input);
                }
            }
            if (e.errors().isEmpty()) {
                return fuzz.failure(n, FILES[which] + ": ConfigException without errors", input);
            }
        } catch (RuntimeException | StackOverflowError e) {
            AssertionError failure = fuzz.failure(n, FILES[which] + ": " + e, input);
            failure.initCause(e);
            return failure;
        } finally {
            Files.write(file, originals.get(which));
        }
        return null;
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
