package org.opgate.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EmptySource;
import org.junit.jupiter.params.provider.ValueSource;

final class IpAddressTest {

    /** Seed for the comparisons against {@link InetAddress}; change it to explore, keep it to replay. */
    private static final long SEED = 0x1DEA_5EEDL;
    private static final int RANDOM_ADDRESSES = 10_000;

    @ParameterizedTest
    @CsvSource({
        "0.0.0.0,         0x00000000",
        "192.0.2.1,       0xC0000201",
        "10.0.0.255,      0x0A0000FF",
        "255.255.255.255, 0xFFFFFFFF",
    })
    void parsesDottedQuadIntoTheLow32Bits(String text, String hex) {
        IpAddress a = IpAddress.parse(text);

        assertThat(a.isV4()).isTrue();
        assertThat(a.hi()).isZero();
        assertThat(a.lo()).isEqualTo(Long.decode(hex));
        assertThat(a).hasToString(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "01.2.3.4", "1.2.3.04", "00.0.0.0", "192.168.010.1", // leading zeros: octal to some parsers
        "256.0.0.1", "1.2.3.256", "999.1.1.1", "1234.1.1.1",
        "1.2.3", "1.2", "1", "1.2.3.4.5",                     // 3 or 5 parts
        "1..3.4", ".1.2.3", "1.2.3.", "1.2.3.4.", "...",      // empty parts
        "1.2.3.-4", "1.2.3.a", "0x7f.0.0.1", "+1.2.3.4",
        " 1.2.3.4", "1.2.3.4 ", "1.2.3.4/32",
    })
    @EmptySource
    void rejectsMalformedIpv4(String text) {
        assertThat(IpAddress.tryParse(text)).isNull();
        assertThat(IpAddress.isLiteral(text)).isFalse();
    }

    @Test
    void parseErrorNamesTheValueAndTheExpectedForms() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> IpAddress.parse("10.0.0.256"))
                .withMessageContaining("'10.0.0.256'")
                .withMessageContaining("expected: IPv4 like 192.0.2.1 or IPv6 like 2001:db8::1");
    }

    @Test
    void nullIsNotALiteral() {
        assertThat(IpAddress.tryParse(null)).isNull();
        assertThat(IpAddress.isLiteral(null)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "'::',                                      '::'",
        "'::1',                                     '::1'",
        "'1::',                                     '1::'",
        "'2001:0db8:0000:0000:0000:ff00:0042:8329', '2001:db8::ff00:42:8329'",
        "'2001:db8::ff00:42:8329',                  '2001:db8::ff00:42:8329'",
        "'fe80::1:2',                               'fe80::1:2'",
        "'2001:DB8::A',                             '2001:db8::a'",
        "'1:2:3:4:5:6:7::',                         '1:2:3:4:5:6:7:0'",
        "'::2:3:4:5:6:7:8',                         '0:2:3:4:5:6:7:8'",
        "'1:2:3:4:5:6:7:8',                         '1:2:3:4:5:6:7:8'",
        "'64:ff9b::192.0.2.33',                     '64:ff9b::c000:221'",
        "'::192.0.2.1',                             '::c000:201'",
        "'1:2:3:4:5:6:192.0.2.1',                   '1:2:3:4:5:6:c000:201'",
        "'[2001:db8::1]',                           '2001:db8::1'",
        "'[::]',                                    '::'",
    })
    void parsesIpv6Forms(String text, String canonical) {
        IpAddress a = IpAddress.parse(text);

        assertThat(a.isV4()).isFalse();
        assertThat(a).hasToString(canonical);
    }

    @Test
    void compressedGroupsLandInTheRightBits() {
        IpAddress a = IpAddress.parse("2001:db8::ff00:42:8329");

        assertThat(a.hi()).isEqualTo(0x2001_0db8_0000_0000L);
        assertThat(a.lo()).isEqualTo(0x0000_ff00_0042_8329L);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "::ffff:192.0.2.1", "::FFFF:192.0.2.1", "::ffff:c000:201", "0:0:0:0:0:ffff:c000:201",
        "0000:0000:0000:0000:0000:ffff:192.0.2.1", "[::ffff:192.0.2.1]",
    })
    void ipv4MappedIpv6NormalisesToIpv4(String text) {
        IpAddress a = IpAddress.parse(text);

        assertThat(a.isV4()).isTrue();
        assertThat(a).isEqualTo(IpAddress.parse("192.0.2.1")).hasToString("192.0.2.1");
    }

    @Test
    void ofV6OfAMappedValueReturnsIpv4() {
        assertThat(IpAddress.ofV6(0, 0x0000_ffff_c000_0201L)).isEqualTo(IpAddress.ofV4(0xC000_0201));
    }

    @Test
    void ipv4AndIpv6WithTheSameBitsDiffer() {
        assertThat(IpAddress.ofV4(1)).isNotEqualTo(IpAddress.ofV6(0, 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "1::2::3", "::1::", "1::2::",                           // two '::'
        ":::", "1:::2",
        "1:2:3:4:5:6:7:8:9", "::1:2:3:4:5:6:7:8",               // more than 8 groups
        "1:2:3:4:5:6:7:8::", "1::3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7",                                        // 7 groups, no '::'
        "12345::", "::10000", "2001:db8::0ffff",                // group of more than 4 hex digits
        "fe80::1%eth0", "fe80::1%1", "[fe80::1%25eth0]",        // zone ids
        ":1", "1:", ":1::", "1::2:", "::g", "2001:db8::1 ",
        "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3", "::1.2.3.04", "::256.0.0.1", "::1.2.3.4:5", "::ffff:1234.2.3.4",
        "[::1", "::1]", "[[::1]]", "[]", "[", "]", "1.2.3.4:80",
    })
    void rejectsMalformedIpv6(String text) {
        assertThat(IpAddress.tryParse(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "::\u0661",            // ARABIC-INDIC DIGIT ONE
        "\uFF12001:db8::1",    // FULLWIDTH DIGIT TWO
        "2001:db8::\uFF41",    // FULLWIDTH LATIN SMALL LETTER A
        "\u0967::",            // DEVANAGARI DIGIT ONE
    })
    void rejectsNonAsciiDigitsInIpv6(String text) {
        assertThat(IpAddress.tryParse(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[192.0.2.1]", "[0.0.0.0]"})
    void rejectsBracketsAroundIpv4(String text) {
        assertThat(IpAddress.tryParse(text)).isNull();
    }

    @ParameterizedTest
    @CsvSource({
        "'2001:db8:0:0:1:0:0:1',   '2001:db8::1:0:0:1'",   // 4.2.3: equal runs, the first one
        "'2001:0db8::0001',        '2001:db8::1'",         // 4.1: no leading zeros
        "'2001:db8:0:0:0:0:2:1',   '2001:db8::2:1'",       // 4.2.1: shorten as much as possible
        "'2001:db8:0:1:1:1:1:1',   '2001:db8:0:1:1:1:1:1'",// 4.2.2: not for a single 16-bit 0
        "'2001:0:0:1:0:0:0:1',     '2001:0:0:1::1'",       // 4.2.3: the longest run
        "'2001:DB8::AAAA',         '2001:db8::aaaa'",      // 4.3: lower case
        "'0:0:0:0:0:0:0:0',        '::'",
        "'0:0:0:0:0:0:0:1',        '::1'",
        "'1:0:0:0:0:0:0:0',        '1::'",
        "'1:0:0:2:0:0:0:0',        '1:0:0:2::'",
        "'0:0:1:0:0:1:0:0',        '::1:0:0:1:0:0'",
        "'1:0:1:0:1:0:1:0',        '1:0:1:0:1:0:1:0'",
    })
    void toStringFollowsRfc5952(String text, String expected) {
        assertThat(IpAddress.parse(text)).hasToString(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1,        true",
        "127.255.255.254,  true",
        "126.255.255.255,  false",
        "128.0.0.1,        false",
        "::1,              true",
        "0:0:0:0:0:0:0:1,  true",
        "::ffff:127.0.0.1, true",
        "::,               false",
        "::2,              false",
        "::127.0.0.1,      false",
        "1::1,             false",
    })
    void knowsLoopbackAddresses(String text, boolean loopback) {
        assertThat(IpAddress.parse(text).isLoopback()).isEqualTo(loopback);
    }

    @Test
    void bitsCountFromTheMostSignificant() {
        IpAddress v4 = IpAddress.ofV4(0x8000_0001);
        IpAddress v6 = IpAddress.parse("8000::1");

        assertThat(new int[] {v4.bit(0), v4.bit(1), v4.bit(30), v4.bit(31)}).containsExactly(1, 0, 0, 1);
        assertThat(new int[] {v6.bit(0), v6.bit(1), v6.bit(63), v6.bit(64), v6.bit(127)})
                .containsExactly(1, 0, 0, 0, 1);
        assertThat(v4.bitLength()).isEqualTo(32);
        assertThat(v6.bitLength()).isEqualTo(128);
    }

    @Test
    void equalAddressesHaveEqualHashCodes() {
        IpAddress a = IpAddress.parse("2001:db8::1");
        IpAddress b = IpAddress.parse("2001:0DB8:0:0:0:0:0:0001");

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    }

    /** Every spelling of a random address that InetAddress also reads parses to the same value. */
    @Test
    void parsesEverySpellingOfRandomAddressesLikeInetAddress() throws UnknownHostException {
        Random rnd = new Random(SEED);
        for (int n = 0; n < RANDOM_ADDRESSES; n++) {
            byte[] bytes = randomAddressBytes(rnd);
            IpAddress expected = fromBytes(bytes);
            String jdkText = InetAddress.getByAddress(bytes).getHostAddress();
            for (String text : spellings(jdkText, expected)) {
                assertThat(IpAddress.parse(text))
                        .as("seed %#x, address #%d %s, spelled '%s'", SEED, n, Arrays.toString(bytes), text)
                        .isEqualTo(expected);
            }
        }
    }

    /** Our text, read back by InetAddress and by us, gives the original bytes. */
    @Test
    void toStringRoundTripsThroughInetAddress() throws UnknownHostException {
        Random rnd = new Random(SEED + 1);
        for (int n = 0; n < RANDOM_ADDRESSES; n++) {
            byte[] bytes = randomAddressBytes(rnd);
            IpAddress a = fromBytes(bytes);
            String text = a.toString();

            // getByName on a literal parses it; no name lookup happens.
            byte[] back = InetAddress.getByName(text).getAddress();
            assertThat(back)
                    .as("seed %#x, address #%d %s printed as '%s'", SEED + 1, n, Arrays.toString(bytes), text)
                    .isEqualTo(a.isV4() ? Arrays.copyOfRange(bytes, bytes.length - 4, bytes.length) : bytes);
            assertThat(IpAddress.parse(text)).isEqualTo(a);
            assertThat(text).isEqualTo(text.toLowerCase(Locale.ROOT)).doesNotContain(":::");
        }
    }

    /** IPv4, IPv6 with runs of zero groups and small values, and IPv4-mapped IPv6. */
    private static byte[] randomAddressBytes(Random rnd) {
        int kind = rnd.nextInt(10);
        if (kind < 3) {
            byte[] b = new byte[4];
            rnd.nextBytes(b);
            return b;
        }
        ByteBuffer buf = ByteBuffer.allocate(16);
        if (kind == 3) {
            buf.putLong(0).putShort((short) 0).putShort((short) 0xFFFF).putInt(rnd.nextInt());
            return buf.array();
        }
        for (int g = 0; g < 8; g++) {
            int choice = rnd.nextInt(5);
            int value = choice < 2 ? 0 : choice == 2 ? rnd.nextInt(16) : rnd.nextInt(0x10000);
            buf.putShort((short) value);
        }
        return buf.array();
    }

    private static IpAddress fromBytes(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        return bytes.length == 4 ? IpAddress.ofV4(buf.getInt()) : IpAddress.ofV6(buf.getLong(), buf.getLong());
    }

    private static String[] spellings(String jdkText, IpAddress a) {
        if (jdkText.indexOf(':') < 0) {
            return new String[] {jdkText, a.toString(), "::ffff:" + jdkText};
        }
        String[] groups = jdkText.split(":");
        StringBuilder padded = new StringBuilder();
        for (String g : groups) {
            padded.append(padded.length() > 0 ? ":" : "").append("0000".substring(g.length())).append(g);
        }
        return new String[] {
            jdkText,
            jdkText.toUpperCase(Locale.ROOT),
            padded.toString(),
            a.toString(),
            "[" + a + "]",
        };
    }

    @ParameterizedTest
    @CsvSource({
        "192.0.2.1,        192.0.2.2,       192.0.2.0",
        "10.0.0.255,       10.0.1.0,        10.0.0.254",
        "2001:db8::,       2001:db8::1,     2001:db7:ffff:ffff:ffff:ffff:ffff:ffff",
        "2001:db8::ffff:ffff:ffff:ffff, 2001:db8:0:1::, 2001:db8::ffff:ffff:ffff:fffe",
    })
    void nextAndPreviousStepOneAddress(String address, String next, String previous) {
        IpAddress a = IpAddress.parse(address);

        assertThat(a.next()).isEqualTo(IpAddress.parse(next));
        assertThat(a.previous()).isEqualTo(IpAddress.parse(previous));
    }

    @Test
    void nextAndPreviousStopAtTheEndsOfTheSpace() {
        assertThat(IpAddress.parse("255.255.255.255").next()).isNull();
        assertThat(IpAddress.parse("0.0.0.0").previous()).isNull();
        assertThat(IpAddress.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").next()).isNull();
        assertThat(IpAddress.parse("::").previous()).isNull();
    }
}
