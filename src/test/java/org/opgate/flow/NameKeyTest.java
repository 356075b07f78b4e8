package org.opgate.flow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class NameKeyTest {

    @Test
    void lastCharacterIsInTheLowestByteOfWordZero() {
        NameKey k = NameKey.of("ab.example");

        assertThat(k.w0()).isEqualTo(bytesBackwards("ab.example".substring(2)));
        assertThat(k.w1()).isEqualTo(bytesBackwards("ab"));
    }

    @Test
    void suffixTakesTheSameWordPositionsAsTheSameTextAlone() {
        NameKey name = NameKey.of("cdn-12.eu.example-417.com.pk");
        NameKey suffix = NameKey.of("example-417.com.pk");
        int len = suffix.length();

        for (int j = 0; j < NameKey.INLINE_WORDS; j++) {
            assertThat(name.word(j) & NameKey.byteMask(len - 8 * j)).as("word %d", j).isEqualTo(suffix.word(j));
        }
    }

    @Test
    void labelBitsMarkTheSuffixesThatFollowADot() {
        NameKey k = NameKey.of("a.bc.de");

        assertThat(k.labels(0)).isEqualTo(1L << 2 | 1L << 5);
    }

    @Test
    void namesLongerThanTheInlineWordsKeepEveryWordAndLabel() {
        String label = "x".repeat(60);
        NameKey k = NameKey.of(label + "." + label);

        assertThat(k.word(15)).isEqualTo(bytesBackwards("x".repeat(1)));
        assertThat(k.word(16)).isZero();
        assertThat(k.labels(0)).isEqualTo(1L << 60);
        assertThat(k.labels(1)).isZero();
    }

    @Test
    void charactersOutsideLatin1AreStoredAsZero() {
        assertThat(NameKey.of("a\u20ac").w0()).isEqualTo('a' << 8);
    }

    @Test
    void byteMaskClampsToAWholeWord() {
        assertThat(NameKey.byteMask(-3)).isZero();
        assertThat(NameKey.byteMask(0)).isZero();
        assertThat(NameKey.byteMask(3)).isEqualTo(0xFFFFFFL);
        assertThat(NameKey.byteMask(8)).isEqualTo(-1L);
        assertThat(NameKey.byteMask(40)).isEqualTo(-1L);
    }

    @Test
    void flowDerivesItsKeysAndSharesOneWhenHostAndSniAreEqual() {
        Flow f = Flow.builder().host("gb.srp.blackberry.com").sni("GB.srp.blackberry.com").port(443).build();

        assertThat(f.hostKey()).isEqualTo(NameKey.of("gb.srp.blackberry.com"));
        assertThat(f.sniKey()).isSameAs(f.hostKey());
    }

    @Test
    void flowReplacesAKeyThatIsNotItsName() {
        Flow f = new Flow("a.example", null, null, 443, null, null, null, null, null, NameKey.of("b.example"), null);

        assertThat(f.hostKey().name()).isEqualTo("a.example");
    }

    /** The characters of {@code s} packed with the last one in the lowest byte. */
    private static long bytesBackwards(String s) {
        long w = 0;
        for (int i = 0; i < s.length(); i++) {
            w = w << 8 | s.charAt(i);
        }
        return w;
    }
}
