package org.opgate.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.config.OpgateConfig;

final class HaproxyMapImportTest {

    private static ImportResult read(String... lines) {
        return RuleImporter.read(ImportFormat.HAPROXY_MAP, "classes.map", List.of(lines), null);
    }

    @Test
    void domainKeyAndDotSuffixKeyBothCoverTheDomainAndBelow() {
        ImportResult r = read("srp.blackberry.com BES", ".bbm.blackberry.com BBM");
        assertThat(r.rules()).extracting(rule -> rule.host() + " " + rule.className())
                .containsExactly("*.srp.blackberry.com BES", "*.bbm.blackberry.com BBM");
    }

    @Test
    void addressKeyBecomesACidrRule() {
        assertThat(read("68.171.224.0/19 BES").rules().get(0).cidr()).hasToString("68.171.224.0/19");
    }

    @Test
    void patternKeysMissingValuesAndBadClassNamesAreReported() {
        ImportResult r = read("^srp\\..* BES", "lonely.example", "x.example 42");
        assertThat(r.rules()).isEmpty();
        assertThat(r.notes()).extracting(Note::toString).containsExactly(
                "classes.map:1: key '^srp\\..*' holds pattern characters (expected: a domain; HAProxy map keys are"
                        + " literal, and map_reg is not imported)",
                "classes.map:2: 'lonely.example' has no value (expected: key value, like example.com BES)",
                "classes.map:3: protocol '42' does not make a class name (expected: a letter, then letters, digits,"
                        + " '_' or '-', at most 32, not OTHER; or give --class)");
    }

    @Test
    void classOptionOverridesTheValues() {
        ImportResult r = RuleImporter.read(ImportFormat.HAPROXY_MAP, "m", List.of("a.example x", "b.example y"), "Z");
        assertThat(r.rules()).extracting(ImportedRule::className).containsExactly("Z", "Z");
    }

    @Test
    void importedFileLoadsAndClassifiesLikeMapDom(@TempDir Path dir) throws Exception {
        OpgateConfig cfg = Imports.load(dir, read("# sni to class", "srp.blackberry.com BES", "bbm.blackberry.com BBM"));
        assertThat(Imports.classOfSni(cfg, "srp.blackberry.com", 443)).isEqualTo("BES");
        assertThat(Imports.classOfSni(cfg, "gb.srp.blackberry.com", 443)).isEqualTo("BES");
        assertThat(Imports.classOfSni(cfg, "auth2.bbm.blackberry.com", 443)).isEqualTo("BBM");
        assertThat(Imports.classOfSni(cfg, "xsrp.blackberry.com", 443)).isEqualTo("OTHER");
    }

    @Test
    void aMoreSpecificAddressKeyWinsWhereverItIsInTheFileAsMapIpDoes(@TempDir Path dir) throws Exception {
        OpgateConfig cfg = Imports.load(dir, read("10.0.0.0/8 WIDE", "example.com NAME", "10.1.2.3 HOST",
                "10.1.0.0/16 MID"));
        assertThat(Imports.classOfIp(cfg, "10.1.2.3", 443)).isEqualTo("HOST");
        assertThat(Imports.classOfIp(cfg, "10.1.9.9", 443)).isEqualTo("MID");
        assertThat(Imports.classOfIp(cfg, "10.9.9.9", 443)).isEqualTo("WIDE");
    }
}
