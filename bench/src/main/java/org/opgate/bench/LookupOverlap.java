package org.opgate.bench;

import java.util.LinkedHashSet;
import java.util.Random;

/**
 * Why a lookup into an index bigger than the cache costs a full memory round trip in
 * {@link ClassifyBenchmark} but almost nothing in a tight loop: the core overlaps the cache misses
 * of consecutive lookups only while the work between them fits its out-of-order window.
 * <pre>
 * java -cp bench/target/benchmarks.jar org.opgate.bench.LookupOverlap [keys]
 * </pre>
 * A minimal exact name table (open addressing, one 64-byte record per slot holding the key's four
 * words and a value, no tags) holds {@code keys} names like the benchmark's; 8,192 query names,
 * 60% of them keys, are looked up in turn, as {@code ClassifyBenchmark} takes its flows. Each row
 * times the lookup followed by {@code work} steps of a dependent multiply chain (independent of the
 * lookup), and that work alone; the difference is what the lookup's memory access adds. Wall
 * clock, best of three rounds. Not a JMH benchmark: a diagnosis that needs the machine to itself.
 */
public final class LookupOverlap {

    private static final int QUERIES = 8192;
    private static final int CALLS = 10_000_000;
    private static final int[] WORK = {0, 10, 20, 40, 70, 100};

    private LookupOverlap() {
    }

    public static void main(String[] args) {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Random random = new Random(7);
        LinkedHashSet<String> names = new LinkedHashSet<>();
        while (names.size() < keys) {
            names.add(name(random));
        }
        String[] stored = names.toArray(new String[0]);
        int capacity = Integer.highestOneBit(keys * 2 - 1) << 1;
        int mask = capacity - 1;
        long[] records = new long[capacity * 8];
        for (int i = 0; i < stored.length; i++) {
            long[] w = words(stored[i]);
            int slot = (int) hash(w) & mask;
            while (records[slot * 8 + 7] != 0) {
                slot = (slot + 1) & mask;
            }
            System.arraycopy(w, 0, records, slot * 8, 4);
            records[slot * 8 + 7] = i + 1;
        }
        long[][] queries = new long[QUERIES][];
        for (int i = 0; i < QUERIES; i++) {
            queries[i] = words(random.nextInt(10) < 6 ? stored[random.nextInt(keys)] : name(random));
        }
        System.out.printf("%,d keys (%,d KB of records), %,d queries; ns per call, best of 3 rounds of %,d calls%n",
                keys, records.length / 128, QUERIES, CALLS);
        System.out.println("work  lookup+work  work alone  lookup adds");
        long sink = 0;
        for (int work : WORK) {
            double both = Double.MAX_VALUE;
            double alone = Double.MAX_VALUE;
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                sink += lookups(records, mask, queries, work);
                long t1 = System.nanoTime();
                sink += workAlone(work);
                long t2 = System.nanoTime();
                both = Math.min(both, (t1 - t0) / (double) CALLS);
                alone = Math.min(alone, (t2 - t1) / (double) CALLS);
            }
            System.out.printf("%4d  %11.1f  %10.1f  %11.1f%n", work, both, alone, both - alone);
        }
        System.out.println(sink == 42 ? "" : " ");
    }

    private static long lookups(long[] records, int mask, long[][] queries, int work) {
        long acc = 0;
        long x = 1;
        for (int i = 0; i < CALLS; i++) {
            acc += find(records, mask, queries[i & (QUERIES - 1)]);
            for (int k = 0; k < work; k++) {
                x = x * 0x9E3779B97F4A7C15L + k;
            }
        }
        return acc + x;
    }

    private static long workAlone(int work) {
        long x = 1;
        for (int i = 0; i < CALLS; i++) {
            for (int k = 0; k < work; k++) {
                x = x * 0x9E3779B97F4A7C15L + k;
            }
        }
        return x;
    }

    private static long find(long[] records, int mask, long[] w) {
        for (int slot = (int) hash(w) & mask; ; slot = (slot + 1) & mask) {
            int at = slot * 8;
            long value = records[at + 7];
            if (value == 0) {
                return 0;
            }
            if (records[at] == w[0] && records[at + 1] == w[1] && records[at + 2] == w[2] && records[at + 3] == w[3]) {
                return value;
            }
        }
    }

    private static String name(Random random) {
        return "cdn-" + random.nextInt(1000) + ".eu.example-" + random.nextInt(100_000) + ".com";
    }

    /** The first 32 characters, eight to a word. */
    private static long[] words(String s) {
        long[] w = new long[4];
        for (int i = 0; i < Math.min(32, s.length()); i++) {
            w[i >> 3] |= (long) (s.charAt(i) & 0xFF) << ((i & 7) * 8);
        }
        return w;
    }

    private static long hash(long[] w) {
        long h = w[0] * 0x9E3779B97F4A7C15L + w[1] * 0xC2B2AE3D27D4EB4FL + w[2] * 0x165667B19E3779F9L + w[3];
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ h >>> 33;
    }
}
