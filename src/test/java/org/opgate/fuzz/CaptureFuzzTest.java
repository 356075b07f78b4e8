package org.opgate.fuzz;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.opgate.replay.Capture;
import org.opgate.replay.CaptureAnalyzer;
import org.opgate.testing.Mutator;

/**
 * Seeded malformed captures through the replay reader ({@link CaptureAnalyzer}): the committed
 * pcap and pcapng captures with bits flipped, lengths that lie (block, record, snap and packet
 * lengths), ranges inserted, removed or repeated, and cuts anywhere. The reader must never throw:
 * a capture it cannot read to the end says why, naming the packet (or block) where it stopped
 * once packets were read,
 * and keeps the packets and flows before it; a cut capture never yields more packets than the
 * whole one.
 *
 * <pre>
 * mvn test -Dtest=CaptureFuzzTest -Dopgate.fuzz.scale=10 -Dopgate.fuzz.seed=42
 * </pre>
 */
final class CaptureFuzzTest {

    private static final List<String> CAPTURES = List.of("demo.pcap", "demo-cooked-ipv6.pcapng");

    @Test
    void everyMalformedCaptureEndsWithAnErrorNamingThePacketAndKeepsWhatCameBefore() throws Exception {
        Fuzz fuzz = Fuzz.of("CaptureFuzzTest", 100_000);
        Random random = fuzz.random();
        long cpu = Fuzz.cpuNow();
        byte[][] originals = new byte[CAPTURES.size()][];
        int[] wholePackets = new int[CAPTURES.size()];
        for (int i = 0; i < originals.length; i++) {
            originals[i] = Files.readAllBytes(Path.of("src/test/resources/captures", CAPTURES.get(i)));
            wholePackets[i] = read(originals[i]).packets();
        }
        for (int n = 0; n < fuzz.cases(); n++) {
            int which = random.nextInt(originals.length);
            byte[] original = originals[which];
            boolean cutOnly = random.nextInt(4) == 0;
            byte[] input = cutOnly ? java.util.Arrays.copyOf(original, random.nextInt(original.length))
                    : lieAboutLengths(random, Mutator.mutate(random, original, 1 + random.nextInt(3)));
            Capture c;
            try {
                c = read(input);
            } catch (RuntimeException | StackOverflowError e) {
                AssertionError failure = fuzz.failure(n, CAPTURES.get(which) + ": " + e, input);
                failure.initCause(e);
                throw failure;
            }
            // Past the file header, an error names where it stopped; before it, the header is what is wrong.
            if (c.error() != null && c.packets() > 0 && !(c.error().startsWith("packet ") || c.error().startsWith("block "))) {
                throw fuzz.failure(n, CAPTURES.get(which) + ": error names no packet or block: " + c.error(), input);
            }
            if (cutOnly && c.packets() > wholePackets[which]) {
                throw fuzz.failure(n, CAPTURES.get(which) + ": a cut capture gave " + c.packets() + " packets, the whole "
                        + wholePackets[which], input);
            }
            if (cutOnly && input.length > 64 && c.packets() == 0 && c.error() == null) {
                throw fuzz.failure(n, CAPTURES.get(which) + ": a cut capture read no packet and no error", input);
            }
        }
        fuzz.report(cpu);
    }

    private static Capture read(byte[] bytes) throws Exception {
        return CaptureAnalyzer.analyze("fuzz", new ByteArrayInputStream(bytes));
    }

    /** Sometimes overwrites a 32-bit word at a 4-byte boundary (where pcap and pcapng keep lengths) with a lie. */
    private static byte[] lieAboutLengths(Random random, byte[] bytes) {
        if (bytes.length >= 8 && random.nextBoolean()) {
            int at = 4 * random.nextInt(bytes.length / 4 - 1);
            Mutator.lieAboutLength(random, bytes, at, 4);
        }
        return bytes;
    }
}
