package org.opgate.sim.simnet;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SniCompletionEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opgate.config.SimnetRoute.ServerKind;

/** What the TLS server does with the first decrypted bytes, on an EmbeddedChannel. */
final class ProtocolSnifferTest {

    private static final ServiceDirectory SERVICES = new ServiceDirectory(List.of(
            SimnetServersTest.route("*.srp.blackberry.com", ServerKind.TLS, "SRP relay")));

    private static ProtocolSniffer.Verdict sniff(String text) {
        ByteBuf buf = Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
        try {
            ProtocolSniffer.Verdict v = ProtocolSniffer.sniff(buf);
            assertThat(buf.readerIndex()).isZero();
            return v;
        } finally {
            buf.release();
        }
    }

    private static EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(SimnetPipelines.SNIFF, new ProtocolSniffer(SERVICES))
                .addLast(SimnetPipelines.ERRORS, CloseOnError.INSTANCE);
        return ch;
    }

    /** Everything written so far, as text; the encoder writes head and body as separate buffers. */
    private static String drain(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        for (ByteBuf b = ch.readOutbound(); b != null; b = ch.readOutbound()) {
            try {
                sb.append(b.toString(StandardCharsets.UTF_8));
            } finally {
                b.release();
            }
        }
        return sb.toString();
    }

    private static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    @Test
    void aMethodAndASpaceIsHttp() {
        assertThat(sniff("GET / HTTP/1.1\r\n")).isEqualTo(ProtocolSniffer.Verdict.HTTP);
        assertThat(sniff("OPTIONS ")).isEqualTo(ProtocolSniffer.Verdict.HTTP);
        assertThat(sniff("HEAD ")).isEqualTo(ProtocolSniffer.Verdict.HTTP);
    }

    @Test
    void aPrefixOfAMethodWaitsForMoreBytes() {
        assertThat(sniff("")).isEqualTo(ProtocolSniffer.Verdict.UNDECIDED);
        assertThat(sniff("G")).isEqualTo(ProtocolSniffer.Verdict.UNDECIDED);
        assertThat(sniff("OPTIONS")).isEqualTo(ProtocolSniffer.Verdict.UNDECIDED);
    }

    @Test
    void anythingElseIsEchoed() {
        assertThat(sniff("\u0000GET ")).isEqualTo(ProtocolSniffer.Verdict.ECHO);
        assertThat(sniff("GETX")).isEqualTo(ProtocolSniffer.Verdict.ECHO);
        assertThat(sniff("get / HTTP/1.1")).isEqualTo(ProtocolSniffer.Verdict.ECHO);
    }

    @Test
    void anHttpRequestSplitAcrossReadsGetsThePageOfTheSni() {
        EmbeddedChannel ch = channel();
        try {
            ch.pipeline().fireUserEventTriggered(new SniCompletionEvent("gb.srp.blackberry.com"));
            ch.writeInbound(ascii("GE"));
            assertThat(ch.<Object>readOutbound()).isNull();
            ch.writeInbound(ascii("T / HTTP/1.1\r\nHost: other.example\r\n\r\n"));
            assertThat(drain(ch)).startsWith("HTTP/1.1 200 OK").contains("<h1>SRP relay</h1>");
            assertThat(ch.pipeline().get(SimnetPipelines.SNIFF)).isNull();
            assertThat(ch.isOpen()).isTrue();
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void otherBytesComeBackUnchanged() {
        EmbeddedChannel ch = channel();
        try {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 1, 2, 3}));
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {4, 5}));
            ByteBuf first = ch.readOutbound();
            ByteBuf second = ch.readOutbound();
            try {
                assertThat(ByteBufUtil.getBytes(first)).containsExactly(0, 1, 2, 3);
                assertThat(ByteBufUtil.getBytes(second)).containsExactly(4, 5);
            } finally {
                first.release();
                second.release();
            }
            assertThat(ch.pipeline().get(SimnetPipelines.ECHO)).isNotNull();
        } finally {
            ch.finishAndReleaseAll();
        }
    }
}
