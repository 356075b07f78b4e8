package org.opgate.flow;

import java.util.Locale;

/**
 * An IPv4 or IPv6 address as two longs, parsed by our own strict parser (never a DNS lookup).
 *
 * <p>IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}) are normalised to IPv4 so that one
 * {@code cidr} rule covers both spellings. IPv4 values live in the low 32 bits of {@link #lo()}.
 * Instances are immutable and compare by value.
 */
public final class IpAddress {

    private final boolean v4;
    private final long hi;
    private final long lo;

    private IpAddress(boolean v4, long hi, long lo) {
        this.v4 = v4;
        this.hi = hi;
        this.lo = lo;
    }

    public static IpAddress ofV4(int bits) {
        return new IpAddress(true, 0, bits & 0xFFFF_FFFFL);
    }

    /** An IPv6 address; an IPv4-mapped one comes back as IPv4. */
    public static IpAddress ofV6(long hi, long lo) {
        if (hi == 0 && (lo >>> 32) == 0xFFFFL) {
            return ofV4((int) lo);
        }
        return new IpAddress(false, hi, lo);
    }

    /** An IPv6 address kept in the IPv6 space even where it falls in the IPv4-mapped range. */
    static IpAddress ofV6Raw(long hi, long lo) {
        return new IpAddress(false, hi, lo);
    }

    /** The next address in the same space, or null after the last one (255.255.255.255, ffff:…:ffff). */
    public IpAddress next() {
        if (v4) {
            return lo == 0xFFFF_FFFFL ? null : new IpAddress(true, 0, lo + 1);
        }
        if (lo == -1L) {
            return hi == -1L ? null : new IpAddress(false, hi + 1, 0);
        }
        return new IpAddress(false, hi, lo + 1);
    }

    /** The previous address in the same space, or null before the first one (0.0.0.0, ::). */
    public IpAddress previous() {
        if (v4) {
            return lo == 0 ? null : new IpAddress(true, 0, lo - 1);
        }
        if (lo == 0) {
            return hi == 0 ? null : new IpAddress(false, hi - 1, -1L);
        }
        return new IpAddress(false, hi, lo - 1);
    }

    public boolean isV4() {
        return v4;
    }

    public long hi() {
        return hi;
    }

    public long lo() {
        return lo;
    }

    /** Bit {@code i} counted from the most significant (0) of the 32- or 128-bit address. */
    public int bit(int i) {
        if (v4) {
            return (int) (lo >>> (31 - i)) & 1;
        }
        return i < 64 ? (int) (hi >>> (63 - i)) & 1 : (int) (lo >>> (127 - i)) & 1;
    }

    public int bitLength() {
        return v4 ? 32 : 128;
    }

    public boolean isLoopback() {
        return v4 ? (lo >>> 24) == 127 : hi == 0 && lo == 1;
    }

    /** True if {@code text} is an IPv4 or IPv6 literal (brackets allowed around IPv6). */
    public static boolean isLiteral(String text) {
        return tryParse(text) != null;
    }

    /**
     * Parses an address literal.
     *
     * @throws IllegalArgumentException naming the value and the expected forms
     */
    public static IpAddress parse(String text) {
        IpAddress a = tryParse(text);
        if (a == null) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address"
                    + " (expected: IPv4 like 192.0.2.1 or IPv6 like 2001:db8::1)");
        }
        return a;
    }

    /** Parses an address literal, or returns null if {@code text} is not one. */
    public static IpAddress tryParse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        String s = text;
        if (s.charAt(0) == '[' && s.charAt(s.length() - 1) == ']') {
            // Brackets are for IPv6 only (RFC 3986 IP-literal); [192.0.2.1] is not an address.
            s = s.substring(1, s.length() - 1);
            return s.indexOf(':') >= 0 ? parseV6(s) : null;
        }
        if (s.indexOf(':') >= 0) {
            return parseV6(s);
        }
        long v = parseV4(s, 0, s.length());
        return v < 0 ? null : ofV4((int) v);
    }

    /** Dotted quad, decimal only, no leading zeros (010 is ambiguous: octal to some parsers). */
    private static long parseV4(String s, int from, int to) {
        long value = 0;
        int parts = 0;
        int i = from;
        while (i <= to) {
            int start = i;
            int octet = 0;
            while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                octet = octet * 10 + (s.charAt(i) - '0');
                i++;
                if (i - start > 3) {
                    return -1;
                }
            }
            int len = i - start;
            if (len == 0 || octet > 255 || (len > 1 && s.charAt(start) == '0')) {
                return -1;
            }
            value = (value << 8) | octet;
            parts++;
            if (i == to) {
                break;
            }
            if (s.charAt(i) != '.' || parts == 4) {
                return -1;
            }
            i++;
        }
        return parts == 4 ? value : -1;
    }

    private static IpAddress parseV6(String s) {
        int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        int len = s.length();
        int i = 0;
        if (s.startsWith("::")) {
            gap = 0;
            i = 2;
            if (len == 2) {
                return ofV6(0, 0);
            }
        } else if (s.charAt(0) == ':') {
            return null;
        }
        while (i < len) {
            if (count == 8) {
                return null;
            }
            int start = i;
            int value = 0;
            while (i < len && hexDigit(s.charAt(i)) >= 0) {
                value = (value << 4) | hexDigit(s.charAt(i));
                i++;
                if (i - start > 4) {
                    return null;
                }
            }
            if (i < len && s.charAt(i) == '.') {
                // Embedded IPv4 in the last 32 bits (::ffff:1.2.3.4, 64:ff9b::1.2.3.4).
                long v4 = parseV4(s, start, len);
                if (v4 < 0 || count > 6) {
                    return null;
                }
                groups[count++] = (int) (v4 >>> 16);
                groups[count++] = (int) (v4 & 0xFFFF);
                i = len;
                break;
            }
            if (i == start) {
                return null;
            }
            groups[count++] = value;
            if (i == len) {
                break;
            }
            if (s.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < len && s.charAt(i) == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = count;
                i++;
            } else if (i == len) {
                return null;
            }
        }
        if (gap < 0 && count != 8) {
            return null;
        }
        if (gap >= 0 && count > 7) {
            return null;
        }
        int[] full = new int[8];
        if (gap < 0) {
            full = groups;
        } else {
            int tail = count - gap;
            System.arraycopy(groups, 0, full, 0, gap);
            System.arraycopy(groups, gap, full, 8 - tail, tail);
        }
        long hi = 0;
        long lo = 0;
        for (int g = 0; g < 4; g++) {
            hi = (hi << 16) | full[g];
            lo = (lo << 16) | full[g + 4];
        }
        return ofV6(hi, lo);
    }

    /** ASCII only: {@link Character#digit} would also take fullwidth and other scripts' digits. */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** The address as a {@link java.net.InetAddress}, built from its bytes (never a DNS lookup). */
    public java.net.InetAddress toInetAddress() {
        byte[] b;
        if (v4) {
            b = new byte[] {(byte) (lo >>> 24), (byte) (lo >>> 16), (byte) (lo >>> 8), (byte) lo};
        } else {
            b = new byte[16];
            for (int i = 0; i < 8; i++) {
                b[i] = (byte) (hi >>> (56 - 8 * i));
                b[i + 8] = (byte) (lo >>> (56 - 8 * i));
            }
        }
        try {
            return java.net.InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress a && a.v4 == v4 && a.hi == hi && a.lo == lo;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hi * 31 + lo) ^ (v4 ? 1 : 0);
    }

    /** Dotted quad, or RFC 5952 text for IPv6 (lower case, longest zero run compressed). */
    @Override
    public String toString() {
        if (v4) {
            return (lo >>> 24 & 255) + "." + (lo >>> 16 & 255) + "." + (lo >>> 8 & 255) + "." + (lo & 255);
        }
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) (hi >>> (48 - 16 * i)) & 0xFFFF;
            g[i + 4] = (int) (lo >>> (48 - 16 * i)) & 0xFFFF;
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]).toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }
}
