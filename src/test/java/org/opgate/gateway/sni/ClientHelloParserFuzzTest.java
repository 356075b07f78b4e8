package org.opgate.gateway.sni;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.opgate.flow.HostName;
import org.opgate.flow.IpAddress;
import org.opgate.gateway.sni.ClientHello.Status;
import org.opgate.testing.FuzzHellos;

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

    @Test
    void neverThrowsAndAnswersConsistently() {
        Random random = new Random(SEED);
        // A wrapped array, not Unpooled.buffer(): under PARANOID leak detection a tracked buffer
        // records a stack trace on every access, which would swamp the run.
        ByteBuf in = Unpooled.wrappedBuffer(new byte[1 << 16]);
        try {
            for (int n = 0; n < CASES; n++) {
                byte[] input = FuzzHellos.next(random);
                int junk = random.nextInt(4);
                int maxBytes = random.nextInt(8) == 0 ? 1 + random.nextInt(1024) : LIMIT;
                in.clear().writeZero(junk).writeBytes(input).readerIndex(junk);
                new Case(n, input, junk, maxBytes).check(in, random);
            }
        } finally {
            in.release();
        }
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
