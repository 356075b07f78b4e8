package org.opgate.replay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opgate.flow.IpAddress;

/**
 * Names for addresses, from the DNS responses in a capture (UDP, source port 53).
 *
 * <p>Each A or AAAA answer names its address with the name the client asked for: the question,
 * when a CNAME chain in the same response leads from it to the answer's owner, else the owner.
 * A later answer for the same address replaces the earlier one, so a lookup gives the latest name
 * seen so far. Not thread-safe.
 */
final class DnsAnswers {

    private static final int TYPE_A = 1;
    private static final int TYPE_CNAME = 5;
    private static final int TYPE_AAAA = 28;
    private static final int MAX_CHAIN = 16;

    private final Map<IpAddress, String> names = new HashMap<>();
    private int answers;

    /** The latest name seen for {@code ip}, or null. */
    String nameOf(IpAddress ip) {
        return names.get(ip);
    }

    /** How many address answers were read. */
    int answers() {
        return answers;
    }

    /**
     * Reads one DNS message; anything that is not a well-formed response is ignored.
     *
     * @return null if read, else why it was ignored
     */
    String read(byte[] m) {
        if (m.length < 12) {
            return "DNS message cut short: " + m.length + " of 12 header bytes";
        }
        int flags = Bytes.u16(m, 2);
        if ((flags & 0x8000) == 0) {
            return null;    // a query: nothing to learn
        }
        int questions = Bytes.u16(m, 4);
        int count = Bytes.u16(m, 6);
        int[] pos = {12};
        String question = null;
        try {
            for (int i = 0; i < questions; i++) {
                String q = name(m, pos);
                pos[0] += 4;
                if (question == null) {
                    question = q;
                }
            }
            Map<String, String> aliasOf = new HashMap<>();  // CNAME target -> owner
            List<Object[]> addresses = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String owner = name(m, pos);
                check(m, pos[0] + 10);
                int type = Bytes.u16(m, pos[0]);
                int length = Bytes.u16(m, pos[0] + 8);
                int data = pos[0] + 10;
                check(m, data + length);
                if (type == TYPE_A && length == 4) {
                    addresses.add(new Object[] {owner, IpAddress.ofV4(Bytes.u32(m, data))});
                } else if (type == TYPE_AAAA && length == 16) {
                    addresses.add(new Object[] {owner, IpAddress.ofV6(Bytes.u64(m, data), Bytes.u64(m, data + 8))});
                } else if (type == TYPE_CNAME) {
                    int[] p = {data};
                    aliasOf.put(name(m, p), owner);
                }
                pos[0] = data + length;
            }
            for (Object[] a : addresses) {
                String name = (String) a[0];
                for (int hops = 0; hops < MAX_CHAIN && aliasOf.containsKey(name) && !name.equals(question); hops++) {
                    name = aliasOf.get(name);
                }
                names.put((IpAddress) a[1], name);
                answers++;
            }
            return null;
        } catch (IndexOutOfBoundsException e) {
            return "DNS response cut short or corrupt";
        }
    }

    private static void check(byte[] m, int end) {
        if (end > m.length) {
            throw new IndexOutOfBoundsException(end);
        }
    }

    /** A (possibly compressed) name at pos[0], lower case without the trailing dot; advances pos[0]. */
    private static String name(byte[] m, int[] pos) {
        StringBuilder sb = new StringBuilder();
        int p = pos[0];
        int jumps = 0;
        int after = -1;
        while (true) {
            check(m, p + 1);
            int len = m[p] & 0xff;
            if ((len & 0xc0) == 0xc0) {
                check(m, p + 2);
                if (after < 0) {
                    after = p + 2;
                }
                if (++jumps > 64) {
                    throw new IndexOutOfBoundsException("compression loop");
                }
                p = Bytes.u16(m, p) & 0x3fff;
                continue;
            }
            if (len == 0) {
                pos[0] = after >= 0 ? after : p + 1;
                return sb.toString().toLowerCase(java.util.Locale.ROOT);
            }
            if (len > 63) {
                throw new IndexOutOfBoundsException("label length " + len);
            }
            check(m, p + 1 + len);
            if (sb.length() > 0) {
                sb.append('.');
            }
            for (int i = 0; i < len; i++) {
                sb.append((char) (m[p + 1 + i] & 0xff));
            }
            p += 1 + len;
        }
    }
}
