package org.opgate.gateway.sni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opgate.gateway.sni.ClientHello.Status;
import org.opgate.testing.ClientHellos;

final class ClientHelloParserTest {

    private static final int LIMIT = 16384;
    private static final byte[] HELLO = ClientHellos.of("www.example.com", "h2", "http/1.1");

    /*
     * Offsets in a builder hello whose first (or only) extension is server_name with one entry:
     * record header 0-4, handshake type 5, handshake length 6-8, client_version 9-10, random
     * 11-42, session_id length 43 (empty), cipher_suites length 44-45 (4 bytes of suites),
     * compression_methods length 50, extensions length 52-53, extension type 54-55, extension
     * length 56-57, server_name list length 58-59, name type 60, name length 61-62.
     */
    private static final int HANDSHAKE_LENGTH = 6;
    private static final int SESSION_ID_LENGTH = 43;
    private static final int CIPHER_SUITES_LENGTH = 44;
    private static final int COMPRESSION_LENGTH = 50;
    private static final int EXTENSIONS_LENGTH = 52;
    private static final int EXTENSION_LENGTH = 56;
    private static final int NAME_LIST_LENGTH = 58;
    private static final int NAME_LENGTH = 61;

    private static ClientHello parse(byte[] bytes) {
        return parse(bytes, bytes.length, LIMIT);
    }

    private static ClientHello parse(byte[] bytes, int prefix, int maxBytes) {
        ByteBuf in = Unpooled.wrappedBuffer(bytes, 0, prefix);
        try {
            return ClientHelloParser.parse(in, maxBytes);
        } finally {
            in.release();
        }
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    private static byte[] patched(byte[] hello, int offset, int... values) {
        byte[] copy = hello.clone();
        for (int i = 0; i < values.length; i++) {
            copy[offset + i] = (byte) values[i];
        }
        return copy;
    }

    @Test
    void readsSniAlpnAndLengthOfAJdkClientHello() {
        ClientHello hello = parse(HELLO);

        assertThat(hello.status()).isEqualTo(Status.COMPLETE);
        assertThat(hello.sni()).isEqualTo("www.example.com");
        assertThat(hello.alpn()).containsExactly("h2", "http/1.1");
        assertThat(hello.ech()).isFalse();
        assertThat(hello.length()).isEqualTo(HELLO.length);
        assertThat(hello.error()).isNull();
    }

    @Test
    void lowerCasesTheSni() {
        assertThat(parse(ClientHellos.of("WWW.Example.COM")).sni()).isEqualTo("www.example.com");
    }

    @Test
    void dropsTheTrailingDotOfTheSni() {
        assertThat(parse(ClientHellos.builder().sni("Gb.SRP.BlackBerry.com.").build()).sni())
                .isEqualTo("gb.srp.blackberry.com");
    }

    @Test
    void reportsAnEncryptedClientHelloExtension() {
        byte[] bytes = ClientHellos.withEch(HELLO);

        ClientHello hello = parse(bytes);

        assertThat(hello.status()).isEqualTo(Status.COMPLETE);
        assertThat(hello.ech()).isTrue();
        assertThat(hello.sni()).isEqualTo("www.example.com");
        assertThat(hello.length()).isEqualTo(bytes.length);
    }

    @Test
    void leavesSniNullWithoutServerNameExtension() {
        ClientHello hello = parse(ClientHellos.withoutSni("h2"));

        assertThat(hello.status()).isEqualTo(Status.COMPLETE);
        assertThat(hello.sni()).isNull();
        assertThat(hello.alpn()).containsExactly("h2");
    }

    @Test
    void leavesAlpnEmptyWhenNoneIsOffered() {
        ClientHello hello = parse(ClientHellos.of("a.example"));

        assertThat(hello.status()).isEqualTo(Status.COMPLETE);
        assertThat(hello.alpn()).isEmpty();
    }

    @Test
    void acceptsAHelloWithoutExtensionsBlock() {
        byte[] bytes = ClientHellos.builder().withoutExtensions().build();

        ClientHello hello = parse(bytes);

        assertThat(hello.status()).isEqualTo(Status.COMPLETE);
        assertThat(hello.sni()).isNull();
        assertThat(hello.length()).isEqualTo(bytes.length);
    }

    @Test
    void skipsServerNameEntriesOfOtherTypes() {
        byte[] list = bytes(0, 11, 1, 0, 2, 'x', 'y', 0, 0, 3, 'a', '.', 'b');

        ClientHello hello = parse(ClientHellos.builder().extension(0, list).build());

        assertThat(hello.status()).isEqualTo(Status.COMPLETE);
        assertThat(hello.sni()).isEqualTo("a.b");
    }

    static Stream<Arguments> hellos() {
        return Stream.of(
                Arguments.of("JDK hello in one record", HELLO),
                Arguments.of("JDK hello in 100-byte records", ClientHellos.reframe(HELLO, 100)),
                Arguments.of("JDK hello in 1-byte records", ClientHellos.reframe(HELLO, 1)),
                Arguments.of("JDK hello without SNI", ClientHellos.withoutSni()),
                Arguments.of("hello with ECH", ClientHellos.withEch(HELLO)),
                Arguments.of("hello without extensions", ClientHellos.builder().withoutExtensions().build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hellos")
    void needsMoreForEveryStrictPrefixAndCompletesOnTheWhole(String name, byte[] bytes) {
        for (int prefix = 0; prefix < bytes.length; prefix++) {
            assertThat(parse(bytes, prefix, LIMIT).status()).as("first %d of %d bytes", prefix, bytes.length)
                    .isEqualTo(Status.NEED_MORE);
        }
        assertThat(parse(bytes).status()).isEqualTo(Status.COMPLETE);
    }

    @Test
    void lengthEndsWithTheRecordThatCompletesTheHello() {
        byte[] bytes = ClientHellos.concat(HELLO, ClientHellos.record(20, bytes(1)),
                ClientHellos.record(ClientHellos.APPLICATION_DATA, new byte[40]));

        ClientHello hello = parse(bytes);

        assertThat(hello.status()).isEqualTo(Status.COMPLETE);
        assertThat(hello.length()).isEqualTo(HELLO.length);
    }

    @Test
    void reassemblesAHelloFragmentedOver100ByteRecords() {
        byte[] bytes = ClientHellos.reframe(HELLO, 100);

        ClientHello hello = parse(bytes);

        assertThat(bytes.length).as("five records").isEqualTo(HELLO.length + 4 * 5);
        assertThat(hello.status()).isEqualTo(Status.COMPLETE);
        assertThat(hello.sni()).isEqualTo("www.example.com");
        assertThat(hello.alpn()).containsExactly("h2", "http/1.1");
        assertThat(hello.length()).isEqualTo(bytes.length);
    }

    @Test
    void reassemblesAHandshakeHeaderSplitOverOneByteRecords() {
        byte[] bytes = ClientHellos.reframe(HELLO, 1);

        ClientHello hello = parse(bytes);

        assertThat(hello.status()).isEqualTo(Status.COMPLETE);
        assertThat(hello.sni()).isEqualTo("www.example.com");
        assertThat(hello.length()).isEqualTo(bytes.length);
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 21, 23})
    void refusesAnotherRecordTypeInsideAFragmentedHello(int contentType) {
        byte[] fragmented = ClientHellos.reframe(HELLO, 100);
        byte[] bytes = ClientHellos.concat(Arrays.copyOf(fragmented, 105), ClientHellos.record(contentType, bytes(1)),
                Arrays.copyOfRange(fragmented, 105, fragmented.length));

        ClientHello hello = parse(bytes);

        assertThat(hello.status()).isEqualTo(Status.MALFORMED);
        assertThat(hello.error()).contains("record type " + contentType, "before the ClientHello was complete");
        assertThat(parse(bytes, 106, LIMIT).status()).as("decided from the record's first byte")
                .isEqualTo(Status.MALFORMED);
    }

    static Stream<Arguments> otherProtocols() {
        return Stream.of(
                Arguments.of("HTTP", "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)),
                Arguments.of("SMTP", "EHLO".getBytes(StandardCharsets.US_ASCII)),
                Arguments.of("SSH", "SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII)),
                Arguments.of("SSLv2-compatible hello", bytes(0x80, 0x2e, 0x01, 0x03, 0x01, 0x00, 0x15, 0x00, 0x00,
                        0x00, 0x10, 0x00, 0x00, 0x2f, 0x00, 0x00, 0x35)),
                Arguments.of("one byte", bytes('G')),
                Arguments.of("handshake byte, record version 2", bytes(0x16, 0x02)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherProtocols")
    void isNotTlsForOtherProtocols(String name, byte[] bytes) {
        ClientHello hello = parse(bytes);

        assertThat(hello.status()).isEqualTo(Status.NOT_TLS);
        assertThat(hello.error()).isNotBlank();
    }

    @Test
    void needsMoreForAnEmptyBuffer() {
        assertThat(parse(new byte[0]).status()).isEqualTo(Status.NEED_MORE);
    }

    @Test
    void isTooLargeAboveTheLimitAndCompleteAtIt() {
        assertThat(parse(HELLO, HELLO.length, HELLO.length).status()).isEqualTo(Status.COMPLETE);

        ClientHello hello = parse(HELLO, HELLO.length, HELLO.length - 1);

        assertThat(hello.status()).isEqualTo(Status.TOO_LARGE);
        assertThat(hello.error()).contains(HELLO.length + " bytes", "limit: " + (HELLO.length - 1));
    }

    @Test
    void decidesTooLargeFromTheHandshakeLengthAlone() {
        byte[] start = bytes(0x16, 0x03, 0x01, 0x40, 0x00, 0x01, 0x01, 0x00, 0x00);

        assertThat(parse(start).status()).isEqualTo(Status.TOO_LARGE);
        assertThat(parse(HELLO, 9, HELLO.length - 1).status()).isEqualTo(Status.TOO_LARGE);
    }

    @Test
    void countsRecordHeadersAgainstTheLimit() {
        byte[] bytes = ClientHellos.reframe(HELLO, 100);

        assertThat(parse(bytes, bytes.length, bytes.length).status()).isEqualTo(Status.COMPLETE);
        assertThat(parse(bytes, bytes.length, bytes.length - 1).status()).isEqualTo(Status.TOO_LARGE);
    }

    @Test
    void refusesAnotherHandshakeType() {
        byte[] bytes = ClientHellos.builder().handshakeType(2).build();

        ClientHello hello = parse(bytes, 6, LIMIT);

        assertThat(hello.status()).isEqualTo(Status.MALFORMED);
        assertThat(hello.error()).contains("handshake type 2");
    }

    static Stream<Arguments> overruns() {
        byte[] hello = ClientHellos.builder().sni("example.com").alpn("h2").build();
        return Stream.of(
                Arguments.of("handshake length short of the record",
                        patched(hello, HANDSHAKE_LENGTH + 2, hello[HANDSHAKE_LENGTH + 2] - 1), "past the end"),
                Arguments.of("handshake length beyond the extensions",
                        patched(hello, HANDSHAKE_LENGTH + 2, hello[HANDSHAKE_LENGTH + 2] + 1), "extensions length"),
                Arguments.of("session_id over 32 bytes", patched(hello, SESSION_ID_LENGTH, 33), "session_id of 33"),
                Arguments.of("cipher_suites past the hello",
                        patched(hello, CIPHER_SUITES_LENGTH, 0x04, 0x00), "cipher_suites of 1024 bytes overruns"),
                Arguments.of("odd cipher_suites length",
                        patched(hello, CIPHER_SUITES_LENGTH, 0, 3), "cipher_suites of 3 bytes"),
                Arguments.of("no compression method", patched(hello, COMPRESSION_LENGTH, 0), "compression_methods"),
                Arguments.of("extensions length off by one",
                        patched(hello, EXTENSIONS_LENGTH + 1, hello[EXTENSIONS_LENGTH + 1] + 1), "extensions length"),
                Arguments.of("extension past the hello",
                        patched(hello, EXTENSION_LENGTH, 0x01, 0x00), "extension 0x0000 of 256 bytes overruns"),
                Arguments.of("server_name list length off by one",
                        patched(hello, NAME_LIST_LENGTH + 1, hello[NAME_LIST_LENGTH + 1] + 1), "server_name list length"),
                Arguments.of("host name past the list",
                        patched(hello, NAME_LENGTH, 0, 0xff), "server_name entry of 255 bytes overruns"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overruns")
    void refusesLengthsThatDisagreeWithTheirParent(String name, byte[] bytes, String error) {
        ClientHello hello = parse(bytes);

        assertThat(hello.status()).isEqualTo(Status.MALFORMED);
        assertThat(hello.error()).contains(error);
    }

    static Stream<Arguments> badExtensions() {
        return Stream.of(
                Arguments.of("empty server_name data", 0, bytes(), "server_name extension of 0 bytes"),
                Arguments.of("empty server_name list", 0, bytes(0, 0), "empty server_name list"),
                Arguments.of("truncated server_name entry", 0, bytes(0, 2, 0, 0), "truncated server_name entry"),
                Arguments.of("empty ALPN list", 16, bytes(0, 0), "empty ALPN protocol list"),
                Arguments.of("empty ALPN name", 16, bytes(0, 1, 0), "empty ALPN protocol name"),
                Arguments.of("ALPN name past the list", 16, bytes(0, 2, 5, 'h'), "ALPN protocol name of 5 bytes"),
                Arguments.of("ALPN list length off", 16, bytes(0, 5, 2, 'h', '2'), "ALPN list length 5"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badExtensions")
    void refusesMalformedServerNameAndAlpnExtensions(String name, int type, byte[] data, String error) {
        ClientHello hello = parse(ClientHellos.builder().extension(type, data).build());

        assertThat(hello.status()).isEqualTo(Status.MALFORMED);
        assertThat(hello.error()).contains(error);
    }

    @Test
    void refusesAnEmptyRecord() {
        ClientHello hello = parse(bytes(0x16, 0x03, 0x01, 0x00, 0x00));

        assertThat(hello.status()).isEqualTo(Status.MALFORMED);
        assertThat(hello.error()).contains("empty handshake record");
    }

    @Test
    void refusesARecordLongerThanTls() {
        ClientHello hello = parse(bytes(0x16, 0x03, 0x01, 0x40, 0x01, 0x01));

        assertThat(hello.status()).isEqualTo(Status.MALFORMED);
        assertThat(hello.error()).contains("record length 16385");
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.1", "192.0.2.1.", "2001:db8::1", "[2001:db8::1]"})
    void refusesAnIpLiteralSni(String literal) {
        ClientHello hello = parse(ClientHellos.builder().sni(literal).build());

        assertThat(hello.status()).isEqualTo(Status.MALFORMED);
        assertThat(hello.error()).contains("is an IP address");
    }

    @Test
    void refusesAnEmptyHostName() {
        ClientHello hello = parse(ClientHellos.builder().sni("").build());

        assertThat(hello.status()).isEqualTo(Status.MALFORMED);
        assertThat(hello.error()).contains("empty host name");
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "a..example", "-a.example", "a!.example", "*.example"})
    void refusesAnSniThatIsNotAHostName(String name) {
        ClientHello hello = parse(ClientHellos.builder().sni(name).build());

        assertThat(hello.status()).isEqualTo(Status.MALFORMED);
        assertThat(hello.error()).startsWith("SNI '" + name + "'");
    }

    @Test
    void refusesAnSniThatIsNotAscii() {
        ClientHello hello = parse(ClientHellos.builder().sni("bücher.example").build());

        assertThat(hello.status()).isEqualTo(Status.MALFORMED);
        assertThat(hello.error()).contains("byte 0xc3", "punycode");
    }

    @Test
    void refusesAnSniLongerThanAHostName() {
        ClientHello hello = parse(ClientHellos.builder().sni("a".repeat(300)).build());

        assertThat(hello.status()).isEqualTo(Status.MALFORMED);
        assertThat(hello.error()).contains("host name of 300 bytes");
    }

    @Test
    void refusesASecondHostNameInTheList() {
        ClientHello hello = parse(ClientHellos.builder().sni("allowed.example", "blocked.example").build());

        assertThat(hello.status()).isEqualTo(Status.MALFORMED);
        assertThat(hello.error()).contains("second host_name");
    }

    static Stream<Arguments> repeatedExtensions() {
        return Stream.of(
                Arguments.of(ClientHellos.builder().sni("allowed.example").sni("blocked.example"), "server_name"),
                Arguments.of(ClientHellos.builder().alpn("h2").alpn("http/1.1"), "application_layer_protocol_negotiation"),
                Arguments.of(ClientHellos.builder().ech().ech(), "encrypted_client_hello"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("repeatedExtensions")
    void refusesARepeatedExtensionItReads(ClientHellos.Builder builder, String extension) {
        ClientHello hello = parse(builder.build());

        assertThat(hello.status()).isEqualTo(Status.MALFORMED);
        assertThat(hello.error()).isEqualTo("repeated " + extension + " extension");
    }

    @Test
    void leavesIndicesAndContentUnchanged() {
        byte[] junk = bytes(1, 2, 3);
        for (byte[] bytes : new byte[][] {HELLO, Arrays.copyOf(HELLO, 100), ClientHellos.builder().sni("").build()}) {
            ByteBuf in = Unpooled.buffer(1024).writeBytes(junk).writeBytes(bytes).readerIndex(junk.length);
            ByteBuf before = in.copy();
            try {
                ClientHelloParser.parse(in, LIMIT);

                assertThat(in.readerIndex()).isEqualTo(junk.length);
                assertThat(in.writerIndex()).isEqualTo(junk.length + bytes.length);
                assertThat(ByteBufUtil.equals(in, before)).isTrue();
                byte[] head = new byte[junk.length];
                in.getBytes(0, head);
                assertThat(head).containsExactly(junk);
            } finally {
                before.release();
                in.release();
            }
        }
    }

    @Test
    void readsFromTheReaderIndex() {
        ByteBuf in = Unpooled.buffer().writeBytes(bytes('x', 'y', 'z', 0x16, 0x03, 0x01, 0x00)).writeBytes(HELLO);
        in.readerIndex(7);
        try {
            ClientHello hello = ClientHelloParser.parse(in, LIMIT);

            assertThat(hello.status()).isEqualTo(Status.COMPLETE);
            assertThat(hello.length()).isEqualTo(HELLO.length);
        } finally {
            in.release();
        }
    }

    @Test
    void readsAHelloSpreadOverACompositeBuffer() {
        ByteBuf in = Unpooled.wrappedBuffer(Arrays.copyOf(HELLO, 7), Arrays.copyOfRange(HELLO, 7, 300),
                Arrays.copyOfRange(HELLO, 300, HELLO.length));
        try {
            ClientHello hello = ClientHelloParser.parse(in, LIMIT);

            assertThat(hello.status()).isEqualTo(Status.COMPLETE);
            assertThat(hello.sni()).isEqualTo("www.example.com");
        } finally {
            in.release();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void refusesALimitBelowOneByte(int maxBytes) {
        ByteBuf in = Unpooled.wrappedBuffer(HELLO);
        try {
            assertThatIllegalArgumentException().isThrownBy(() -> ClientHelloParser.parse(in, maxBytes))
                    .withMessageContaining("maxBytes: " + maxBytes);
        } finally {
            in.release();
        }
    }
}
