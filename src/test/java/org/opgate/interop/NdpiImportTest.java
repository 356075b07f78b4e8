package org.opgate.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.config.OpgateConfig;

final class NdpiImportTest {

    private static ImportResult read(String... lines) {
        return RuleImporter.read(ImportFormat.NDPI, "protos.txt", List.of(lines), null);
    }

    @Test
    void hostEntryBecomesASuffixRuleOfTheProtocolsClass() {
        ImportResult r = read("host:\"srp.blackberry.com\"@BES");
        assertThat(r.rules()).singleElement().satisfies(rule -> {
            assertThat(rule.className()).isEqualTo("BES");
            assertThat(rule.host()).hasToString("*.srp.blackberry.com");
            assertThat(rule.source().fileAndLine()).isEqualTo("protos.txt:1");
        });
        assertThat(r.complete()).isTrue();
    }

    @Test
    void ipEntryWithPortBecomesCidrAndPort() {
        ImportedRule rule = read("ip:68.171.224.0/19:3101@BES").rules().get(0);
        assertThat(rule.cidr()).hasToString("68.171.224.0/19");
        assertThat(rule.ports()).hasToString("3101");
    }

    @Test
    void ipv6EntryInBracketsKeepsItsPort() {
        ImportedRule rule = read("ipv6:[2001:db8::/32]:443@BBM").rules().get(0);
        assertThat(rule.cidr()).hasToString("2001:db8::/32");
        assertThat(rule.ports()).hasToString("443");
    }

    @Test
    void tcpItemsOfALineBecomeOnePortRuleWithRanges() {
        ImportResult r = read("tcp:3101,tcp:8000-8080@SRP");
        assertThat(r.rules()).singleElement().satisfies(rule -> assertThat(rule.ports()).hasToString("3101, 8000-8080"));
    }

    @Test
    void protocolIsNormalisedToAClassNameAndItsIdDropped() {
        assertThat(read("host:\"primevideo.com\"@Amazon.Prime=178").rules().get(0).className()).isEqualTo("Amazon_Prime");
    }

    @Test
    void aStarDotHostIsReportedAsALiteralStarNotAsARegularExpression() {
        ImportResult r = read("host:\"*.lvlt.dash.us.aiv-cdn.net.c.footprint.net\"@AmazonVideo");
        assertThat(r.rules()).isEmpty();
        assertThat(r.notes()).singleElement().hasToString(
                "protos.txt:1: host \"*.lvlt.dash.us.aiv-cdn.net.c.footprint.net\" starts with '*', which nDPI"
                        + " compares as a literal character (expected: host:\"lvlt.dash.us.aiv-cdn.net.c.footprint.net\","
                        + " which covers the name and every name below it)");
    }

    @Test
    void regexHostIsReportedWithFileLineAndReason() {
        ImportResult r = read("# comment", "host:\"bbm.blackberry.com\",host:\"^api[0-9]+\\.bbm\\.com$\"@BBM");
        assertThat(r.rules()).hasSize(1);
        assertThat(r.notes()).singleElement().hasToString(
                "protos.txt:2: host \"^api[0-9]+\\.bbm\\.com$\" is a regular expression (expected: a plain name;"
                        + " opgate matches names and *.suffix only)");
    }

    @Test
    void ipWithPortRangeIsReportedNotGuessed() {
        ImportResult r = read("ip:93.186.16.0/20:3101-3102@BES");
        assertThat(r.rules()).isEmpty();
        assertThat(r.notes()).singleElement().asString().startsWith("protos.txt:1: ip '93.186.16.0/20:3101-3102':"
                + " port '3101-3102' is not a single port");
    }

    @Test
    void udpUnknownItemsAndLinesWithoutProtocolAreReported() {
        ImportResult r = read("udp:5060@SIP", "nbpf:\"host 1.2.3.4\"@Foo", "garbage");
        assertThat(r.notes()).extracting(Note::toString).containsExactly(
                "protos.txt:1: udp item 'udp:5060': opgate classifies TCP flows only",
                "protos.txt:2: unknown item 'nbpf:\"host 1.2.3.4\"' (expected: host:\"name\", ip:CIDR[:port],"
                        + " ipv6:[CIDR][:port] or tcp:ports)",
                "protos.txt:3: 'garbage' has no '@Protocol' (expected: items@Proto, like host:\"example.com\"@Example)");
    }

    @Test
    void protocolThatMakesNoClassNameIsReported() {
        assertThat(read("host:\"x.example\"@9gag").notes()).singleElement().asString()
                .contains("protocol '9gag' does not make a class name");
    }

    @Test
    void importedFileLoadsAndClassifiesLikeTheNdpiFile(@TempDir Path dir) throws Exception {
        OpgateConfig cfg = Imports.load(dir, read(
                "host:\"srp.blackberry.com\"@BES",
                "host:\"bbm.blackberry.com\"@BBM",
                "ip:68.171.224.0/19:3101@BES",
                "tcp:5223@Push"));
        assertThat(Imports.classOfSni(cfg, "gb.srp.blackberry.com", 3101)).isEqualTo("BES");
        assertThat(Imports.classOfSni(cfg, "goods.bbm.blackberry.com", 443)).isEqualTo("BBM");
        assertThat(Imports.classOfIp(cfg, "68.171.230.1", 3101)).isEqualTo("BES");
        assertThat(Imports.classOfIp(cfg, "68.171.230.1", 443)).isEqualTo("OTHER");
        assertThat(Imports.classOfIp(cfg, "192.0.2.1", 5223)).isEqualTo("Push");
    }

    @Test
    void aMoreSpecificIpEntryWinsWhereverItIsInTheFileAsNdpisBestMatchDoes(@TempDir Path dir) throws Exception {
        OpgateConfig cfg = Imports.load(dir, read("ip:10.0.0.0/8@Wide", "ip:10.1.2.3@Host", "ip:10.1.0.0/16@Mid"));
        assertThat(Imports.classOfIp(cfg, "10.1.2.3", 443)).isEqualTo("Host");
        assertThat(Imports.classOfIp(cfg, "10.1.9.9", 443)).isEqualTo("Mid");
        assertThat(Imports.classOfIp(cfg, "10.9.9.9", 443)).isEqualTo("Wide");
    }

    @Test
    void aByteOrderMarkBeforeTheFirstLineIsNotPartOfIt() {
        ImportResult r = read("\uFEFFhost:\"srp.blackberry.com\"@BES");
        assertThat(r.notes()).isEmpty();
        assertThat(r.rules()).extracting(rule -> rule.host().toString()).containsExactly("*.srp.blackberry.com");
    }

    @Test
    void yamlKeepsFileOrderAcrossClassesAndNamesEachSourceLine() {
        String yaml = read("host:\"a.example\"@A", "host:\"b.example\"@B", "host:\"c.example\"@A").toYaml();
        assertThat(yaml).containsSubsequence(
                "- name: \"A\"", "# protos.txt:1", "- id: \"A-imported-1\"",
                "- name: \"B\"", "# protos.txt:2", "- id: \"B-imported-1\"",
                "- name: \"A\"", "# protos.txt:3", "- id: \"A-imported-2\"");
    }
}
