package org.opgate.sim.population;

import java.nio.charset.StandardCharsets;
import org.opgate.sim.simnet.SrpRelay;

/**
 * The BES server's side of the SRP relay's login (simnet's {@code srp} server, {@link SrpRelay}):
 * the line it sends first, and what a session records when the relay answers that its id is
 * disabled.
 */
final class SrpLogin {

    /** The reason recorded for a session the relay turned away: the relay's doing, not the gateway's. */
    static final String DISABLED_REASON = "the BlackBerry relay disabled the SRP id: more than "
            + SrpRelay.MAX_PER_MINUTE + " connections within a minute";

    private SrpLogin() {
    }

    /** The login line of {@code srpId}. */
    static byte[] line(String srpId) {
        return (SrpRelay.LOGIN + " " + srpId + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** True if the relay's first bytes say the id is disabled. */
    static boolean disabled(io.netty.buffer.ByteBuf answer) {
        int n = SrpRelay.DISABLED.length();
        return answer.readableBytes() >= n && head(answer, n).equals(SrpRelay.DISABLED);
    }

    /** True if the first bytes could still become the disabled answer (it came in pieces). */
    static boolean partOfDisabled(io.netty.buffer.ByteBuf answer) {
        int n = answer.readableBytes();
        return n < SrpRelay.DISABLED.length() && SrpRelay.DISABLED.startsWith(head(answer, n));
    }

    private static String head(io.netty.buffer.ByteBuf b, int n) {
        return b.toString(b.readerIndex(), n, StandardCharsets.US_ASCII);
    }
}
