package org.opgate.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

final class HostPatternTest {

    @ParameterizedTest
    @CsvSource({
        "a.b,   true",
        "x.a.b, false",
        "b,     false",
        "aa.b,  false",
    })
    void exactNameMatchesOnlyItself(String host, boolean expected) {
        assertThat(HostPattern.parse("a.b").matches(host)).isEqualTo(expected);
    }

    @Test
    void wildcardCoversTheSuffixItself() {
        assertThat(HostPattern.parse("*.srp.blackberry.com").matches("srp.blackberry.com")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gb.srp.blackberry.com", "a.gb.srp.blackberry.com", "x.y.z.srp.blackberry.com"})
    void wildcardCoversEveryDepthBelow(String host) {
        assertThat(HostPattern.parse("*.srp.blackberry.com").matches(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"xsrp.blackberry.com", "blackberry.com", "srp.blackberry.co", "srp.blackberry.com.evil"})
    void wildcardNeedsALabelBoundary(String host) {
        assertThat(HostPattern.parse("*.srp.blackberry.com").matches(host)).isFalse();
    }

    @Test
    void noHostNeverMatches() {
        assertThat(HostPattern.parse("*.b").matches(null)).isFalse();
    }

    @Test
    void parseNormalisesTheName() {
        HostPattern p = HostPattern.parse("*.Bücher.Example.");

        assertThat(p).isEqualTo(new HostPattern("xn--bcher-kva.example", true));
        assertThat(p).hasToString("*.xn--bcher-kva.example");
    }

    @ParameterizedTest
    @CsvSource({
        "*,          '*' is only allowed as the whole first label",
        "a.*.b,      '*' is only allowed as the whole first label",
        "*a.b,       '*' is only allowed as the whole first label",
        "**.b,       '*' is only allowed as the whole first label",
        "*.*.b,      '*' is only allowed as the whole first label",
        "a.*,        '*' is only allowed as the whole first label",
        "192.0.2.1,  is an IP address (expected: a host name; use cidr for addresses)",
        "*.192.0.2.1, is an IP address",
        "[::1],      is an IP address",
        "a..b,       empty label",
        "*.,         empty host name",
    })
    void rejectsMalformedPatternsSayingWhy(String text, String problem) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HostPattern.parse(text))
                .withMessageContaining(problem);
    }

    @ParameterizedTest
    @NullAndEmptySource
    void rejectsAnEmptyPattern(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HostPattern.parse(text))
                .withMessage("empty pattern (expected: a name or *.suffix)");
    }

    @ParameterizedTest
    @CsvSource({
        "*.b,     a.b,     true",
        "*.b,     *.a.b,   true",
        "*.b,     b,       true",
        "*.b,     *.b,     true",
        "*.a.b,   *.b,     false",
        "*.a.b,   b,       false",
        "a.b,     a.b,     true",
        "a.b,     *.a.b,   false",
        "a.b,     x.a.b,   false",
        "*.b,     ab,      false",
    })
    void containsEveryNameOfTheOther(String outer, String inner, boolean expected) {
        assertThat(HostPattern.parse(outer).contains(HostPattern.parse(inner))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "a.b,     *.b,     true",
        "*.b,     a.b,     true",
        "*.a.b,   *.b,     true",
        "x.b,     y.b,     false",
        "*.a.b,   *.c.b,   false",
        "a.b,     *.x.a.b, false",
    })
    void intersectsOnlyWhenOneContainsTheOther(String a, String b, boolean expected) {
        assertThat(HostPattern.parse(a).intersects(HostPattern.parse(b))).isEqualTo(expected);
    }
}
