package org.opgate.flow;

/**
 * A CIDR block. IPv4 and IPv6 are separate spaces, except that IPv4-mapped IPv6 prefixes
 * ({@code ::ffff:0:0/96} and longer) are normalised to the IPv4 prefix they cover.
 */
public record IpPrefix(IpAddress network, int length) {

    public IpPrefix {
        if (length < 0 || length > network.bitLength()) {
            throw new IllegalArgumentException("prefix length " + length + " out of range");
        }
    }

    /**
     * Parses {@code address/length}; a bare address is a host prefix (/32 or /128).
     *
     * @throws IllegalArgumentException with what is wrong and what was expected
     */
    public static IpPrefix parse(String text) {
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        IpAddress a = IpAddress.tryParse(addr);
        if (a == null) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR block"
                    + " (expected: address/length like 68.171.224.0/19 or 2001:db8::/32)");
        }
        int max = addr.indexOf(':') >= 0 ? 128 : 32;
        int len = max;
        if (slash >= 0) {
            String l = text.substring(slash + 1);
            if (l.isEmpty() || l.length() > 3 || !l.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("'" + text + "': prefix length '" + l
                        + "' is not a number (expected: 0.." + max + ")");
            }
            len = Integer.parseInt(l);
            if (len > max) {
                throw new IllegalArgumentException("'" + text + "': prefix length " + len
                        + " (expected: 0.." + max + ")");
            }
        }
        if (max == 128 && a.isV4()) {
            // Written as IPv4-mapped IPv6: keep it in the IPv4 space where mapped addresses land.
            if (len < 96) {
                throw new IllegalArgumentException("'" + text + "': an IPv4-mapped prefix shorter than /96"
                        + " spans IPv6 space too (expected: length 96..128)");
            }
            len -= 96;
        }
        IpPrefix masked = new IpPrefix(mask(a, len), len);
        if (!masked.network.equals(a)) {
            throw new IllegalArgumentException("'" + text + "' has host bits set (expected: "
                    + masked + ")");
        }
        return masked;
    }

    private static IpAddress mask(IpAddress a, int len) {
        if (a.isV4()) {
            long m = len == 0 ? 0 : (0xFFFF_FFFFL << (32 - len)) & 0xFFFF_FFFFL;
            return IpAddress.ofV4((int) (a.lo() & m));
        }
        long hm = len >= 64 ? -1L : len == 0 ? 0 : -1L << (64 - len);
        long lm = len <= 64 ? 0 : len == 128 ? -1L : -1L << (128 - len);
        return IpAddress.ofV6(a.hi() & hm, a.lo() & lm);
    }

    /** The last address of the block (the network address is the first). */
    public IpAddress last() {
        if (network.isV4()) {
            long m = length == 0 ? 0 : (0xFFFF_FFFFL << (32 - length)) & 0xFFFF_FFFFL;
            return IpAddress.ofV4((int) (network.lo() | (~m & 0xFFFF_FFFFL)));
        }
        long hm = length >= 64 ? -1L : length == 0 ? 0 : -1L << (64 - length);
        long lm = length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
        return IpAddress.ofV6Raw(network.hi() | ~hm, network.lo() | ~lm);
    }

    /** Allocation-free: on the classification hot path. */
    public boolean contains(IpAddress a) {
        if (a == null || a.isV4() != network.isV4()) {
            return false;
        }
        int len = length;
        if (a.isV4()) {
            long m = len == 0 ? 0 : (0xFFFF_FFFFL << (32 - len)) & 0xFFFF_FFFFL;
            return (a.lo() & m) == network.lo();
        }
        long hm = len >= 64 ? -1L : len == 0 ? 0 : -1L << (64 - len);
        long lm = len <= 64 ? 0 : len == 128 ? -1L : -1L << (128 - len);
        return (a.hi() & hm) == network.hi() && (a.lo() & lm) == network.lo();
    }

    /** True if every address of {@code other} is in this prefix. */
    public boolean contains(IpPrefix other) {
        return other.length >= length && contains(other.network);
    }

    /** Two CIDR blocks share addresses only when one contains the other. */
    public boolean intersects(IpPrefix other) {
        return contains(other) || other.contains(this);
    }

    /** The enclosing prefix of the given shorter length. */
    public IpPrefix truncate(int len) {
        return new IpPrefix(mask(network, len), len);
    }

    @Override
    public String toString() {
        return network + "/" + length;
    }
}
