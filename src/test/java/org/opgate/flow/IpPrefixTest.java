package org.opgate.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class IpPrefixTest {

    @ParameterizedTest
    @CsvSource({
        "68.171.224.0/19, 68.171.224.0, 19",
        "0.0.0.0/0,       0.0.0.0,      0",
        "192.0.2.1/32,    192.0.2.1,    32",
        "2001:db8::/32,   2001:db8::,   32",
        "::/0,            ::,           0",
        "2001:db8::1/128, 2001:db8::1,  128",
        "[2001:db8::]/48, 2001:db8::,   48",
    })
    void parsesNetworkAndLength(String text, String network, int length) {
        IpPrefix p = IpPrefix.parse(text);

        assertThat(p.network()).isEqualTo(IpAddress.parse(network));
        assertThat(p.length()).isEqualTo(length);
    }

    @ParameterizedTest
    @CsvSource({
        "192.0.2.1,   192.0.2.1/32",
        "2001:db8::1, 2001:db8::1/128",
    })
    void bareAddressIsAHostPrefix(String text, String expected) {
        assertThat(IpPrefix.parse(text)).hasToString(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "10.0.0.1/8,          10.0.0.0/8",
        "68.171.255.0/19,     68.171.224.0/19",
        "192.0.2.1/31,        192.0.2.0/31",
        "1.0.0.0/0,           0.0.0.0/0",
        "2001:db8::1/32,      2001:db8::/32",
        "2001:db8:0:0:8000::/64, 2001:db8::/64",
        "::1/127,             ::/127",
        "::ffff:10.0.0.1/104, 10.0.0.0/8",
    })
    void hostBitsSetIsRejectedNamingTheMaskedPrefix(String text, String masked) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> IpPrefix.parse(text))
                .withMessageContaining("'" + text + "' has host bits set")
                .withMessageContaining("(expected: " + masked + ")");
    }

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/33,   0..32",
        "10.0.0.0/999,  0..32",
        "::/129,        0..128",
        "10.0.0.0/-1,   0..32",
        "10.0.0.0/,     0..32",
        "10.0.0.0/x,    0..32",
        "10.0.0.0/1000, 0..32",
        "10.0.0.0/8/8,  0..32",
    })
    void lengthOutOfRangeIsRejected(String text, String range) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> IpPrefix.parse(text))
                .withMessageContaining("'" + text + "'")
                .withMessageContaining("(expected: " + range + ")");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0/8", "example.com/8", "/8", "", "010.0.0.0/8", "fe80::%eth0/64"})
    void nonAddressIsRejected(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> IpPrefix.parse(text))
                .withMessageContaining("is not a CIDR block");
    }

    @ParameterizedTest
    @CsvSource({
        "::ffff:10.0.0.0/104,    10.0.0.0/8",
        "::ffff:0:0/96,          0.0.0.0/0",
        "::ffff:192.0.2.0/120,   192.0.2.0/24",
        "::ffff:192.0.2.1/128,   192.0.2.1/32",
        "::ffff:192.0.2.1,       192.0.2.1/32",
        "::ffff:c000:200/120,    192.0.2.0/24",
    })
    void mappedPrefixOf96OrLongerBecomesIpv4(String text, String expected) {
        IpPrefix p = IpPrefix.parse(text);

        assertThat(p.network().isV4()).isTrue();
        assertThat(p).hasToString(expected);
    }

    @Test
    void mappedPrefixShorterThan96IsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> IpPrefix.parse("::ffff:0:0/95"))
                .withMessageContaining("(expected: length 96..128)");
    }

    @Test
    void constructorRejectsALengthBeyondTheAddress() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new IpPrefix(IpAddress.parse("10.0.0.0"), 33))
                .withMessageContaining("prefix length 33");
    }

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/8,       10.0.0.0,          true",
        "10.0.0.0/8,       10.255.255.255,    true",
        "10.0.0.0/8,       11.0.0.0,          false",
        "10.0.0.0/8,       9.255.255.255,     false",
        "192.0.2.0/31,     192.0.2.1,         true",
        "192.0.2.0/31,     192.0.2.2,         false",
        "192.0.2.1/32,     192.0.2.1,         true",
        "192.0.2.1/32,     192.0.2.0,         false",
        "128.0.0.0/1,      255.0.0.1,         true",
        "128.0.0.0/1,      127.255.255.255,   false",
        "0.0.0.0/0,        203.0.113.9,       true",
        "0.0.0.0/0,        ::1,               false",
        "10.0.0.0/8,       ::ffff:10.1.2.3,   true",
        "::/0,             2001:db8::1,       true",
        "::/0,             192.0.2.1,         false",
        "::/0,             ::ffff:192.0.2.1,  false",
        "2001:db8::/32,    2001:db8:ffff::1,  true",
        "2001:db8::/32,    2001:db9::,        false",
        "2001:db8::/64,    2001:db8::ffff:ffff:ffff:ffff, true",
        "2001:db8::/64,    2001:db8:0:1::,    false",
        "2001:db8::/65,    2001:db8::7fff:0:0:0, true",
        "2001:db8::/65,    2001:db8::8000:0:0:0, false",
        "::/127,           ::1,               true",
        "::/127,           ::2,               false",
        "::1/128,          ::1,               true",
        "::1/128,          ::,                false",
    })
    void containsAddress(String prefix, String address, boolean expected) {
        assertThat(IpPrefix.parse(prefix).contains(IpAddress.parse(address))).isEqualTo(expected);
    }

    @Test
    void unknownAddressIsNotContained() {
        assertThat(IpPrefix.parse("0.0.0.0/0").contains((IpAddress) null)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/8,     10.1.0.0/16,    true",
        "10.1.0.0/16,    10.0.0.0/8,     false",
        "10.0.0.0/8,     10.0.0.0/8,     true",
        "10.0.0.0/8,     11.0.0.0/16,    false",
        "0.0.0.0/0,      192.0.2.1/32,   true",
        "0.0.0.0/0,      ::/0,           false",
        "::/0,           2001:db8::/32,  true",
        "2001:db8::/32,  2001:db8::/31,  false",
    })
    void containsPrefix(String outer, String inner, boolean expected) {
        assertThat(IpPrefix.parse(outer).contains(IpPrefix.parse(inner))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/8,      10.1.0.0/16,    true",
        "10.1.0.0/16,     10.0.0.0/8,     true",
        "10.0.0.0/8,      10.0.0.0/8,     true",
        "10.0.0.0/9,      10.128.0.0/9,   false",
        "10.0.0.0/8,      11.0.0.0/8,     false",
        "0.0.0.0/0,       ::/0,           false",
        "2001:db8::/32,   2001:db8:1::/48, true",
        "2001:db8::/48,   2001:db8:1::/48, false",
    })
    void intersectsOnlyWhenOneContainsTheOther(String a, String b, boolean expected) {
        assertThat(IpPrefix.parse(a).intersects(IpPrefix.parse(b))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "10.1.2.3/32,       8,  10.0.0.0/8",
        "10.1.2.3/32,       0,  0.0.0.0/0",
        "2001:db8::1/128,   32, 2001:db8::/32",
        "2001:db8::1/128,   127, 2001:db8::/127",
    })
    void truncateGivesTheEnclosingPrefix(String prefix, int length, String expected) {
        assertThat(IpPrefix.parse(prefix).truncate(length)).hasToString(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "68.171.224.0/19, 68.171.255.255",
        "192.0.2.1/32,    192.0.2.1",
        "0.0.0.0/0,       255.255.255.255",
        "2001:db8::/32,   2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
        "2001:db8::/127,  2001:db8::1",
        "::/80,           ::ffff:ffff:ffff",
    })
    void lastIsTheHighestAddressOfTheBlock(String prefix, String expected) {
        IpAddress last = IpPrefix.parse(prefix).last();

        assertThat(last).hasToString(expected);
        assertThat(IpPrefix.parse(prefix).contains(last)).isTrue();
    }
}
