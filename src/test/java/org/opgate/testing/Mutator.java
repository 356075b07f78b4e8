package org.opgate.testing;

import java.util.Arrays;
import java.util.Random;

/**
 * Seeded byte-level mutations for fuzz tests: bit flips, truncation, boundary or random bytes,
 * inserted, deleted and repeated ranges, and length fields that lie. Every choice comes from the
 * caller's {@link Random}, so a seed replays the same inputs.
 */
public final class Mutator {

    /** Byte values that sit on parser boundaries: lengths 0 and 1, versions, record types, sign bits. */
    private static final int[] INTERESTING_BYTES = {0x00, 0x01, 0x02, 0x03, 0x05, 0x10, 0x16, 0x20, 0x21, 0x7f, 0x80,
            0xfe, 0xff};

    private Mutator() {
    }

    /** {@code original} with {@code times} mutations applied, one after the other. */
    public static byte[] mutate(Random random, byte[] original, int times) {
        byte[] bytes = original;
        for (int t = 0; t < times; t++) {
            bytes = mutateOnce(random, bytes);
        }
        return bytes;
    }

    /** A copy of {@code original} with one mutation of a random kind. */
    public static byte[] mutateOnce(Random random, byte[] original) {
        byte[] bytes = original.clone();
        int len = bytes.length;
        switch (random.nextInt(6)) {
            case 0: // flip bits
                for (int i = 1 + random.nextInt(4); i > 0 && len > 0; i--) {
                    bytes[random.nextInt(len)] ^= (byte) (1 << random.nextInt(8));
                }
                return bytes;
            case 1: // truncate
                return Arrays.copyOf(bytes, random.nextInt(len + 1));
            case 2: // overwrite with boundary values or random bytes, often where lengths live
                for (int i = 1 + random.nextInt(3); i > 0 && len > 0; i--) {
                    bytes[random.nextInt(len)] = (byte) (random.nextBoolean()
                            ? INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)] : random.nextInt(256));
                }
                return bytes;
            case 3: { // insert random bytes
                int at = random.nextInt(len + 1);
                return concat(Arrays.copyOf(bytes, at), randomBytes(random, 1 + random.nextInt(8)),
                        Arrays.copyOfRange(bytes, at, len));
            }
            case 4: { // delete a range
                int at = random.nextInt(len + 1);
                int cut = Math.min(len - at, 1 + random.nextInt(16));
                return concat(Arrays.copyOf(bytes, at), Arrays.copyOfRange(bytes, at + cut, len));
            }
            default: { // repeat a range
                int at = random.nextInt(len + 1);
                int n = Math.min(len - at, 1 + random.nextInt(32));
                return concat(Arrays.copyOf(bytes, at + n), Arrays.copyOfRange(bytes, at, len));
            }
        }
    }

    /**
     * Overwrites the big-endian length field of {@code width} bytes at {@code at} with a lie: 0,
     * the largest value, one more or one less than the truth, or anything.
     */
    public static void lieAboutLength(Random random, byte[] bytes, int at, int width) {
        long current = 0;
        for (int i = 0; i < width; i++) {
            current = current << 8 | bytes[at + i] & 0xFF;
        }
        long max = (1L << (8 * width)) - 1;
        long value = switch (random.nextInt(5)) {
            case 0 -> 0;
            case 1 -> max;
            case 2 -> current + 1;
            case 3 -> current - 1;
            default -> random.nextLong() & max;
        };
        for (int i = width - 1; i >= 0; i--, value >>>= 8) {
            bytes[at + i] = (byte) value;
        }
    }

    public static byte[] randomBytes(Random random, int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Cuts {@code bytes} into pieces of random sizes (1 to {@code maxPiece}), as TCP might deliver them. */
    public static java.util.List<byte[]> split(Random random, byte[] bytes, int maxPiece) {
        java.util.List<byte[]> pieces = new java.util.ArrayList<>();
        for (int at = 0; at < bytes.length; ) {
            int n = Math.min(bytes.length - at, 1 + random.nextInt(maxPiece));
            pieces.add(Arrays.copyOfRange(bytes, at, at + n));
            at += n;
        }
        return pieces;
    }

    public static byte[] concat(byte[]... parts) {
        return ClientHellos.concat(parts);
    }
}
