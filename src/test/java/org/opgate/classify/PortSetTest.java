package org.opgate.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class PortSetTest {

    /** A set from list elements as written in a class file, e.g. {@code "443, 8000-8080"}. */
    private static PortSet ports(String list) {
        return PortSet.of(Arrays.stream(list.split(",")).map(PortSet::parseElement).toList());
    }

    @ParameterizedTest
    @CsvSource({
        "'8000-8080, 8050-8100',        '8000-8100'",
        "'1-100, 5-10',                 '1-100'",
        "'1-5, 6-8',                    '1-8'",
        "'443, 443',                    '443'",
        "'8080, 3101, 443, 8000-8080',  '443, 3101, 8000-8080'",
        "'10-20, 1-3, 15-30, 4',        '1-4, 10-30'",
        "'1-65535, 443',                '1-65535'",
    })
    void mergesOverlappingAndAdjacentRangesInOrder(String list, String merged) {
        assertThat(ports(list)).hasToString(merged);
    }

    @Test
    void equalSetsFromDifferentSpellingsAreEqual() {
        PortSet a = ports("443, 8000-8080");
        PortSet b = ports("8000-8040, 443, 8041-8080");

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(ports("443, 8000-8081"));
    }

    @ParameterizedTest
    @CsvSource({
        "1,     false",
        "442,   false",
        "443,   true",
        "444,   false",
        "3101,  true",
        "7999,  false",
        "8000,  true",
        "8040,  true",
        "8080,  true",
        "8081,  false",
        "65535, false",
    })
    void containsOnlyItsPorts(int port, boolean expected) {
        assertThat(ports("443, 3101, 8000-8080").contains(port)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "'1-1024',          '80, 443',       true",
        "'80, 443',         '80-443',        false",
        "'80, 443',         '80, 443',       true",
        "'1-10, 20-30',     '5-25',          false",
        "'1-10, 20-30',     '5-10, 20',      true",
        "'1-10, 20-30',     '10-11',         false",
        "'443',             '1-65535',       false",
        "'1-65535',         '1, 65535',      true",
    })
    void containsAllOfAnotherSet(String outer, String inner, boolean expected) {
        assertThat(ports(outer).containsAll(ports(inner))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "'1-10',            '5-20',          5",
        "'5-20',            '1-10',          5",
        "'443, 8000-8080',  '8080-9000',     8080",
        "'100-200',         '1-5, 150',      150",
        "'1-10, 20-30',     '11-19, 25',     25",
        "'80',              '443',           -1",
        "'1-10, 20-30',     '11-19, 31-40',  -1",
    })
    void firstCommonIsTheLowestSharedPort(String a, String b, int expected) {
        assertThat(ports(a).firstCommon(ports(b))).isEqualTo(expected);
    }

    @Test
    void firstIsTheLowestPort() {
        assertThat(ports("8000-8080, 443").first()).isEqualTo(443);
    }

    @Test
    void forEachRangeVisitsMergedRangesInOrder() {
        List<String> seen = new ArrayList<>();

        ports("8000-8080, 443, 444, 8081").forEachRange((lo, hi) -> seen.add(lo + "-" + hi));

        assertThat(seen).containsExactly("443-444", "8000-8081");
    }

    @ParameterizedTest
    @CsvSource({
        "'3101',          3101, 3101",
        "'8000-8080',     8000, 8080",
        "' 8000 - 8080 ', 8000, 8080",
        "'1',             1,    1",
        "'65535',         65535, 65535",
        "'1-65535',       1,    65535",
        "'443-443',       443,  443",
    })
    void parseElementReadsAPortOrARange(String text, int lo, int hi) {
        assertThat(PortSet.parseElement(text)).containsExactly(lo, hi);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "8080-8000", "0-10", "1-65536"})
    void parseElementRejectsPortsOutOfRange(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PortSet.parseElement(text))
                .withMessage("port '" + text + "' (expected: 1..65535, ranges low-high)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "", "80-", "-", "1-2-3", "80 443", "443/tcp", "3101.0"})
    void parseElementRejectsWhatIsNotANumberOrRange(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PortSet.parseElement(text))
                .withMessage("port '" + text + "' is not a number or range (expected: like 3101 or 8000-8080)");
    }

    @Test
    void emptyListIsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PortSet.of(List.of()))
                .withMessageContaining("empty port list");
    }

    @ParameterizedTest
    @CsvSource({"0, 5", "5, 4", "1, 65536"})
    void ofRejectsBadRanges(int lo, int hi) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PortSet.of(List.of(new int[] {443, 443}, new int[] {lo, hi})))
                .withMessage("port range " + lo + "-" + hi + " (expected: 1..65535, low end first)");
    }

    @Test
    void singleHoldsOnePort() {
        assertThat(PortSet.single(3101)).isEqualTo(ports("3101")).hasToString("3101");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+443", "-5", "\u0661\u0662", "44 3", "0x50"})
    void portElementMustBePlainAsciiDigits(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> PortSet.parseElement(text))
                .withMessageContaining("is not a number or range");
    }
}
