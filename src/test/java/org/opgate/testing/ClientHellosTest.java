package org.opgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

final class ClientHellosTest {

    private static final byte[] HELLO = ClientHellos.of("www.example.com", "h2");

    @Test
    void ofGivesTheSameBytesForTheSameArguments() {
        assertThat(ClientHellos.of("www.example.com", "h2")).isEqualTo(HELLO);
    }

    @Test
    void ofWritesOneHandshakeRecordHoldingAClientHello() {
        assertThat(HELLO[0]).isEqualTo((byte) ClientHellos.HANDSHAKE);
        assertThat((HELLO[3] & 0xFF) << 8 | HELLO[4] & 0xFF).isEqualTo(HELLO.length - 5);
        assertThat(HELLO[5]).as("handshake type").isEqualTo((byte) 1);
        assertThat(new String(HELLO, StandardCharsets.ISO_8859_1)).contains("www.example.com");
    }

    @Test
    void withoutSniLeavesTheNameOut() {
        assertThat(new String(ClientHellos.withoutSni(), StandardCharsets.ISO_8859_1)).doesNotContain("example");
    }

    @Test
    void reframeCutsTheMessageIntoRecordsOfTheGivenSize() {
        byte[] message = ClientHellos.handshakeMessage(HELLO);

        byte[] records = ClientHellos.reframe(HELLO, 100);

        int full = message.length / 100;
        int last = message.length % 100;
        assertThat(records).hasSize(message.length + 5 * (full + (last > 0 ? 1 : 0)));
        assertThat(Arrays.copyOf(records, 5)).containsExactly(HELLO[0], HELLO[1], HELLO[2], 0, 100);
        assertThat(ClientHellos.handshakeMessage(records)).isEqualTo(message);
    }

    @Test
    void withEchAddsTheExtensionAndFixesTheHandshakeLength() {
        byte[] message = ClientHellos.handshakeMessage(HELLO);

        byte[] grown = ClientHellos.handshakeMessage(ClientHellos.withEch(HELLO));

        assertThat(grown.length).isGreaterThan(message.length + 4);
        assertThat((grown[1] & 0xFF) << 16 | (grown[2] & 0xFF) << 8 | grown[3] & 0xFF).isEqualTo(grown.length - 4);
        assertThat(Arrays.copyOfRange(grown, 4, 40)).isEqualTo(Arrays.copyOfRange(message, 4, 40));
        assertThat(ByteBufUtil.hexDump(grown)).contains("fe0d");
    }

    @Test
    void builderWritesWhatItIsGiven() {
        byte[] hello = ClientHellos.builder().handshakeType(2).sni("").build();

        assertThat(hello[5]).isEqualTo((byte) 2);
        assertThat(Arrays.copyOfRange(hello, hello.length - 5, hello.length)).containsExactly(0, 3, 0, 0, 0);
    }
}
