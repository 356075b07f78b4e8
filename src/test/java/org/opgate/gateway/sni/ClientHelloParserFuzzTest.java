package org.opgate.gateway.sni;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.opgate.flow.HostName;
import org.opgate.flow.IpAddress;
import org.opgate.gateway.sni.ClientHello.Status;
import org.opgate.testing.ClientHellos;

/**
 * Seeded fuzzing: mutated, truncated, re-framed and random inputs never make the parser throw,
 * and each answer agrees with the bytes and with the answers for shorter inputs (a prefix of a
 * NEED_MORE or COMPLETE input is NEED_MORE; a COMPLETE hello reads the same cut at its length).
 *
 * <p>The default run takes a few seconds. A longer one, or a failing case again:
 * <pre>
 * mvn test -Dtest=ClientHelloParserFuzzTest -Dopgate.fuzz.cases=5000000 -Dopgate.fuzz.seed=42
 * </pre>
 */
final class ClientHelloParserFuzzTest {

    private static final int CASES = Integer.getInteger("opgate.fuzz.cases", 100_000);
    private static final long SEED = Long.getLong("opgate.fuzz.seed", 20_100_801L);
    private static final int LIMIT = 16384;
    private static final int[] INTERESTING_BYTES = {0x00, 0x01, 0x02, 0x03, 0x10, 0x16, 0x20, 0x21, 0x7f, 0x80, 0xfe, 0xff};

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

    @Test
    void neverThrowsAndAnswersConsistently() {
        Random random = new Random(SEED);
        // A wrapped array, not Unpooled.buffer(): under PARANOID leak detection a tracked buffer
        // records a stack trace on every access, which would swamp the run.
        ByteBuf in = Unpooled.wrappedBuffer(new byte[1 << 16]);
        try {
            for (int n = 0; n < CASES; n++) {
                byte[] input = nextInput(random);
                int junk = random.nextInt(4);
                int maxBytes = random.nextInt(8) == 0 ? 1 + random.nextInt(1024) : LIMIT;
                in.clear().writeZero(junk).writeBytes(input).readerIndex(junk);
                new Case(n, input, junk, maxBytes).check(in, random);
            }
        } finally {
            in.release();
        }
    }

    private static byte[] nextInput(Random random) {
        switch (random.nextInt(10)) {
            case 0:
                return randomBytes(random, random.nextInt(600));
            case 1:
                return ClientHellos.concat(new byte[] {0x16, 0x03, (byte) random.nextInt(5)},
                        randomBytes(random, random.nextInt(600)));
            case 2, 3, 4, 5:
                return mutate(random, HELLOS.get(random.nextInt(HELLOS.size())), 1 + random.nextInt(3));
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
            setLength(random, message, field[0], field[1]);
        }
        if (random.nextBoolean()) {
            message = mutate(random, message, 1);
        }
        int size = switch (random.nextInt(3)) {
            case 0 -> 1 + random.nextInt(8);
            case 1 -> 1 + random.nextInt(600);
            default -> 16384;
        };
        byte[] bytes = ClientHellos.reframe(ClientHellos.record(22, message), size);
        if (random.nextInt(4) == 0) {
            int at = random.nextInt(bytes.length + 1);
            byte[] foreign = ClientHellos.record(20 + random.nextInt(4), randomBytes(random, random.nextInt(4)));
            bytes = ClientHellos.concat(Arrays.copyOf(bytes, at), foreign, Arrays.copyOfRange(bytes, at, bytes.length));
        }
        return random.nextInt(4) == 0 ? Arrays.copyOf(bytes, random.nextInt(bytes.length + 1)) : bytes;
    }

    private static void setLength(Random random, byte[] message, int at, int width) {
        long current = 0;
        for (int i = 0; i < width; i++) {
            current = current << 8 | message[at + i] & 0xFF;
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
            message[at + i] = (byte) value;
        }
    }

    private static byte[] mutate(Random random, byte[] original, int times) {
        byte[] bytes = original;
        for (int t = 0; t < times; t++) {
            bytes = mutateOnce(random, bytes);
        }
        return bytes;
    }

    private static byte[] mutateOnce(Random random, byte[] original) {
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
                    int at = random.nextInt(len);
                    bytes[at] = (byte) (random.nextBoolean()
                            ? INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)] : random.nextInt(256));
                }
                return bytes;
            case 3: { // insert random bytes
                int at = random.nextInt(len + 1);
                return ClientHellos.concat(Arrays.copyOf(bytes, at), randomBytes(random, 1 + random.nextInt(8)),
                        Arrays.copyOfRange(bytes, at, len));
            }
            case 4: { // delete a range
                int at = random.nextInt(len + 1);
                int cut = Math.min(len - at, 1 + random.nextInt(16));
                return ClientHellos.concat(Arrays.copyOf(bytes, at), Arrays.copyOfRange(bytes, at + cut, len));
            }
            default: { // repeat a range
                int at = random.nextInt(len + 1);
                int n = Math.min(len - at, 1 + random.nextInt(32));
                return ClientHellos.concat(Arrays.copyOf(bytes, at + n), Arrays.copyOfRange(bytes, at, len));
            }
        }
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
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

    /** One input and the checks on the parser's answer; failures name the case so it can be replayed. */
    private record Case(int number, byte[] input, int junk, int maxBytes) {

        void check(ByteBuf in, Random random) {
            int start = in.readerIndex();
            int end = in.writerIndex();
            ClientHello hello = parse(in);
            expect(in.readerIndex() == start && in.writerIndex() == end, "buffer indices changed", hello);
            expect(hello != null && hello.status() != null && hello.alpn() != null, "no answer", hello);
            switch (hello.status()) {
                case COMPLETE -> {
                    expect(hello.error() == null, "error on COMPLETE", hello);
                    expect(hello.length() > 0 && hello.length() <= end - start && hello.length() <= maxBytes,
                            "length out of range", hello);
                    expect(hello.sni() == null || hello.sni().equals(HostName.normalize(hello.sni()))
                            && !IpAddress.isLiteral(hello.sni()), "SNI not normalised", hello);
                    expect(hello.alpn().stream().noneMatch(String::isEmpty), "empty ALPN name", hello);
                    in.writerIndex(start + hello.length());
                    expect(hello.equals(parse(in)), "different answer when cut after the hello", hello);
                    in.writerIndex(start + random.nextInt(hello.length()));
                    expect(parse(in).status() == Status.NEED_MORE, "prefix of a hello is not NEED_MORE", hello);
                    in.writerIndex(end);
                }
                case NEED_MORE -> {
                    expect(hello.error() == null && hello.sni() == null && hello.length() == 0,
                            "NEED_MORE carries data", hello);
                    if (end > start) {
                        in.writerIndex(start + random.nextInt(end - start));
                        expect(parse(in).status() == Status.NEED_MORE, "prefix of NEED_MORE is not NEED_MORE", hello);
                        in.writerIndex(end);
                    }
                }
                case NOT_TLS -> {
                    expect(hello.error() != null && !hello.error().isBlank(), "no reason", hello);
                    expect(in.getUnsignedByte(start) != 0x16 || in.getUnsignedByte(start + 1) != 3,
                            "NOT_TLS for a TLS record start", hello);
                }
                case MALFORMED, TOO_LARGE -> {
                    expect(hello.error() != null && !hello.error().isBlank(), "no reason", hello);
                    expect(in.getUnsignedByte(start) == 0x16, "not a handshake record, yet not NOT_TLS", hello);
                }
            }
        }

        private ClientHello parse(ByteBuf in) {
            try {
                return ClientHelloParser.parse(in, maxBytes);
            } catch (RuntimeException e) {
                throw new AssertionError(describe("threw " + e, null), e);
            }
        }

        private void expect(boolean ok, String what, ClientHello hello) {
            if (!ok) {
                throw new AssertionError(describe(what, hello));
            }
        }

        private String describe(String what, ClientHello hello) {
            return "fuzz case " + number + " (seed " + SEED + ", maxBytes " + maxBytes + ", " + junk
                    + " bytes before the reader index): " + what + "\n  answer: " + hello
                    + "\n  input: " + ByteBufUtil.hexDump(input);
        }
    }
}
