package org.opgate.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded ClientHello fuzz inputs, shared by the parser's fuzz test and the sni listener's:
 * random bytes, mutations of real hellos (JDK, ECH, no SNI, no extensions, re-framed into small
 * records), and hellos whose length fields lie, framed into records of random sizes with foreign
 * records in between and cut short.
 */
public final class FuzzHellos {

    private static final List<byte[]> HELLOS;
    private static final List<byte[]> MESSAGES = new ArrayList<>();
    private static final List<int[][]> LENGTH_FIELDS = new ArrayList<>();

    static {
        byte[] jdk = ClientHellos.of("www.example.com", "h2", "http/1.1");
        List<byte[]> single = List.of(
                jdk,
                ClientHellos.withoutSni("h2"),
                ClientHellos.of("gb.srp.blackberry.com"),
                ClientHellos.withEch(jdk),
                ClientHellos.builder().sni("a.example").alpn("h2", "http/1.1").ech().build(),
                ClientHellos.builder().sessionId(new byte[32]).extension(0x1234, new byte[3]).sni("x.example").build(),
                ClientHellos.builder().withoutExtensions().build());
        List<byte[]> hellos = new ArrayList<>(single);
        hellos.add(ClientHellos.reframe(jdk, 100));
        hellos.add(ClientHellos.reframe(jdk, 7));
        hellos.add(ClientHellos.reframe(jdk, 1));
        HELLOS = List.copyOf(hellos);
        for (byte[] hello : single) {
            byte[] message = ClientHellos.handshakeMessage(hello);
            MESSAGES.add(message);
            LENGTH_FIELDS.add(lengthFields(message));
        }
    }

    private FuzzHellos() {
    }

    /** The next input: random bytes, a TLS-looking start and junk, a mutated hello, or a re-framed one. */
    public static byte[] next(Random random) {
        switch (random.nextInt(10)) {
            case 0:
                return Mutator.randomBytes(random, random.nextInt(600));
            case 1:
                return ClientHellos.concat(new byte[] {0x16, 0x03, (byte) random.nextInt(5)},
                        Mutator.randomBytes(random, random.nextInt(600)));
            case 2, 3, 4, 5:
                return Mutator.mutate(random, HELLOS.get(random.nextInt(HELLOS.size())), 1 + random.nextInt(3));
            default:
                return reframed(random);
        }
    }

    /** A seed's handshake message with changed length fields or bytes, in records of a random size. */
    private static byte[] reframed(Random random) {
        int seed = random.nextInt(MESSAGES.size());
        byte[] message = MESSAGES.get(seed).clone();
        int[][] fields = LENGTH_FIELDS.get(seed);
        for (int edits = random.nextInt(3); edits >= 0; edits--) {
            int[] field = fields[random.nextInt(fields.length)];
            Mutator.lieAboutLength(random, message, field[0], field[1]);
        }
        if (random.nextBoolean()) {
            message = Mutator.mutate(random, message, 1);
        }
        int size = switch (random.nextInt(3)) {
            case 0 -> 1 + random.nextInt(8);
            case 1 -> 1 + random.nextInt(600);
            default -> 16384;
        };
        byte[] bytes = ClientHellos.reframe(ClientHellos.record(22, message), size);
        if (random.nextInt(4) == 0) {
            int at = random.nextInt(bytes.length + 1);
            byte[] foreign = ClientHellos.record(20 + random.nextInt(4), Mutator.randomBytes(random, random.nextInt(4)));
            bytes = ClientHellos.concat(Arrays.copyOf(bytes, at), foreign, Arrays.copyOfRange(bytes, at, bytes.length));
        }
        return random.nextInt(4) == 0 ? Arrays.copyOf(bytes, random.nextInt(bytes.length + 1)) : bytes;
    }

    /** Offset and width of every length field in a valid ClientHello handshake message. */
    private static int[][] lengthFields(byte[] message) {
        List<int[]> fields = new ArrayList<>();
        fields.add(new int[] {1, 3});
        int at = 4 + 2 + 32;
        fields.add(new int[] {at, 1});
        at += 1 + u8(message, at);
        fields.add(new int[] {at, 2});
        at += 2 + u16(message, at);
        fields.add(new int[] {at, 1});
        at += 1 + u8(message, at);
        if (at < message.length) {
            fields.add(new int[] {at, 2});
            at += 2;
        }
        while (at < message.length) {
            int type = u16(message, at);
            int end = at + 4 + u16(message, at + 2);
            fields.add(new int[] {at + 2, 2});
            if (type == 0 || type == 16) {
                fields.add(new int[] {at + 4, 2});
                for (int p = at + 6; p < end; ) {
                    if (type == 0) {
                        fields.add(new int[] {p + 1, 2});
                        p += 3 + u16(message, p + 1);
                    } else {
                        fields.add(new int[] {p, 1});
                        p += 1 + u8(message, p);
                    }
                }
            }
            at = end;
        }
        return fields.toArray(new int[0][]);
    }

    private static int u8(byte[] bytes, int at) {
        return bytes[at] & 0xFF;
    }

    private static int u16(byte[] bytes, int at) {
        return u8(bytes, at) << 8 | u8(bytes, at + 1);
    }
}
