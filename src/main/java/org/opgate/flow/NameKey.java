package org.opgate.flow;

/**
 * A host name laid out for suffix lookups, computed once when a {@link Flow} is built (the
 * gateway builds each flow once and may classify it several times).
 *
 * <p>The characters are packed eight to a {@code long} word aligned to the name's end: word 0
 * holds the last eight characters, the last one in the lowest byte. Every suffix of the name
 * therefore occupies the same word and byte positions as the same text on its own, so an index
 * can hash and compare any suffix a word at a time, with a mask on its last word. Characters
 * outside {@code 1..0xFF} (only possible in names that skipped {@link HostName#normalize}) are
 * stored as 0: a key that could contain such a character has to be compared as text.
 *
 * <p>{@link #labels} marks the suffix lengths that start right after a dot, the label suffixes a
 * {@code *.key} pattern can match. Immutable; equal when the names are equal.
 */
public final class NameKey {

    /** Words held in fields; a longer name keeps the words after them in an array. */
    public static final int INLINE_WORDS = 4;

    private final String name;
    private final long w0;
    private final long w1;
    private final long w2;
    private final long w3;
    /** Words from {@link #INLINE_WORDS} on (the first ones are unused), or null when the name fits. */
    private final long[] words;
    /** Bit {@code L} of word {@code L / 64} is set if a label suffix of length {@code L} exists. */
    private final long labels0;
    private final long[] labels;

    private NameKey(String name) {
        this.name = name;
        int n = name.length();
        // Short names (the usual case) need no arrays: the key is one object.
        long[] more = n > 8 * INLINE_WORDS ? new long[(n + 7) >>> 3] : null;
        long[] marks = n > 64 ? new long[(n >>> 6) + 1] : null;
        long a0 = 0;
        long a1 = 0;
        long a2 = 0;
        long a3 = 0;
        long dots = 0;
        for (int i = n - 1; i >= 0; i--) {
            int from = n - 1 - i;
            char c = name.charAt(i);
            long b = (long) (c <= 0xFF ? c : 0) << ((from & 7) << 3);
            switch (from >>> 3) {
                case 0 -> a0 |= b;
                case 1 -> a1 |= b;
                case 2 -> a2 |= b;
                case 3 -> a3 |= b;
                default -> more[from >>> 3] |= b;
            }
            if (c == '.') {
                // the text after this dot, `from` characters, is a label suffix
                if (from < 64) {
                    dots |= 1L << from;
                } else {
                    marks[from >>> 6] |= 1L << from;
                }
            }
        }
        w0 = a0;
        w1 = a1;
        w2 = a2;
        w3 = a3;
        words = more;
        labels0 = dots;
        if (marks != null) {
            marks[0] = dots;
        }
        labels = marks;
    }

    /** The key of {@code name}, or null for null. */
    public static NameKey of(String name) {
        return name == null ? null : new NameKey(name);
    }

    /** {@code key} if it is the key of {@code name}, else the key of {@code name}. */
    static NameKey of(String name, NameKey key) {
        return key != null && key.name.equals(name) ? key : of(name);
    }

    public String name() {
        return name;
    }

    public int length() {
        return name.length();
    }

    public long w0() {
        return w0;
    }

    public long w1() {
        return w1;
    }

    public long w2() {
        return w2;
    }

    public long w3() {
        return w3;
    }

    /** Word {@code j} (0 is the last eight characters); 0 past the start of the name. */
    public long word(int j) {
        return switch (j) {
            case 0 -> w0;
            case 1 -> w1;
            case 2 -> w2;
            case 3 -> w3;
            default -> words != null && j < words.length ? words[j] : 0;
        };
    }

    /** Label-suffix lengths {@code 64 * block .. 64 * block + 63} as bits; 0 past the name. */
    public long labels(int block) {
        if (block == 0) {
            return labels0;
        }
        return labels != null && block < labels.length ? labels[block] : 0;
    }

    /** The low {@code count} bytes of a word as a mask; {@code count} is clamped to 0..8. */
    public static long byteMask(int count) {
        int c = Math.max(0, Math.min(8, count));
        return (1L << (c << 3)) - 1 | -(long) (c >>> 3);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof NameKey k && k.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
