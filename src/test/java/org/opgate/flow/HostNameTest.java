package org.opgate.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

final class HostNameTest {

    private static final String LABEL_63 = "a".repeat(63);

    @Test
    void lowerCasesAsciiNames() {
        assertThat(HostName.normalize("Gb.SRP.BlackBerry.COM")).isEqualTo("gb.srp.blackberry.com");
    }

    @Test
    void removesTheTrailingDot() {
        assertThat(HostName.normalize("gb.srp.blackberry.com.")).isEqualTo("gb.srp.blackberry.com");
    }

    @ParameterizedTest
    @CsvSource({
        "bücher.example,  xn--bcher-kva.example",
        "BÜCHER.Example., xn--bcher-kva.example",
        "例え.テスト,      xn--r8jz45g.xn--zckzah",
        "mail.bücher.de,  mail.xn--bcher-kva.de",
    })
    void convertsIdnToPunycode(String raw, String expected) {
        assertThat(HostName.normalize(raw)).isEqualTo(expected);
    }

    @Test
    void keepsPunycodeAsIs() {
        assertThat(HostName.normalize("XN--BCHER-KVA.example")).isEqualTo("xn--bcher-kva.example");
    }

    @Test
    void toleratesUnderscoresOfServiceNames() {
        assertThat(HostName.normalize("_sip._tcp.example.com")).isEqualTo("_sip._tcp.example.com");
    }

    @Test
    void acceptsLabelsOf63AndNamesOf253Characters() {
        String name = LABEL_63 + "." + LABEL_63 + "." + LABEL_63 + "." + "a".repeat(61);

        assertThat(name).hasSize(253);
        assertThat(HostName.normalize(name)).isEqualTo(name);
        assertThat(HostName.normalize(name + ".")).isEqualTo(name);
    }

    static Stream<Arguments> invalidNames() {
        return Stream.of(
                Arguments.of(null, "empty host name"),
                Arguments.of("", "empty host name"),
                Arguments.of(".", "is not a host name"),
                Arguments.of("a..b", "empty label"),
                Arguments.of(".a.b", "empty label"),
                Arguments.of("a.b..", "empty label"),
                Arguments.of(LABEL_63 + "a.com", "label of 64 characters (expected: at most 63)"),
                Arguments.of("-a.com", "label '-a' starts or ends with '-'"),
                Arguments.of("a-.com", "label 'a-' starts or ends with '-'"),
                Arguments.of("a.com-", "label 'com-' starts or ends with '-'"),
                Arguments.of("a b.com", "character ' '"),
                Arguments.of("a*.com", "character '*'"),
                Arguments.of("a/b.com", "character '/'"),
                Arguments.of("a:b", "character ':'"),
                Arguments.of("a@b.com", "character '@'"),
                Arguments.of(LABEL_63 + "." + LABEL_63 + "." + LABEL_63 + "." + "a".repeat(62),
                        "length 254 (expected: at most 253 characters)"));
    }

    @ParameterizedTest
    @MethodSource("invalidNames")
    void rejectsInvalidNamesSayingWhy(String raw, String problem) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HostName.normalize(raw))
                .withMessageContaining(problem);
    }

    @Test
    void errorNamesTheRawValue() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HostName.normalize("Bad_Host!.com"))
                .withMessageStartingWith("'Bad_Host!.com' is not a host name");
    }

    @ParameterizedTest
    @CsvSource({
        "b,       b,     true",
        "a.b,     b,     true",
        "x.a.b,   b,     true",
        "x.a.b,   a.b,   true",
        "a.b,     a.b,   true",
        "ab,      b,     false",
        "a.bb,    b,     false",
        "b,       a.b,   false",
        "a.b,     x.a.b, false",
        "xa.b,    a.b,   false",
    })
    void isAtOrBelowNeedsALabelBoundary(String name, String suffix, boolean expected) {
        assertThat(HostName.isAtOrBelow(name, suffix)).isEqualTo(expected);
    }
}
