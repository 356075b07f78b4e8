package org.opgate.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.config.OpgateConfig;

final class SquidImportTest {

    private static ImportResult read(String... lines) {
        return RuleImporter.read(ImportFormat.SQUID, "bes.acl", List.of(lines), "BES");
    }

    @Test
    void leadingDotIsTheDomainAndBelowAndAPlainNameIsExact() {
        ImportResult r = read(".srp.blackberry.com", "alltel.blackberry.com");
        assertThat(r.rules()).extracting(rule -> rule.host().toString())
                .containsExactly("*.srp.blackberry.com", "alltel.blackberry.com");
    }

    @Test
    void dstTakesCidrDottedNetmaskAndBareAddress() {
        ImportResult r = read("68.171.224.0/19", "93.186.16.0/255.255.240.0", "206.51.26.7", "2001:db8::/32");
        assertThat(r.rules()).extracting(rule -> rule.cidr().toString())
                .containsExactly("68.171.224.0/19", "93.186.16.0/20", "206.51.26.7/32", "2001:db8::/32");
        assertThat(r.complete()).isTrue();
    }

    @Test
    void aclLinesAreReadValueByValue() {
        ImportResult r = read("acl bes dstdomain -i .srp.blackberry.com .bbsecure.com", "acl bes_ip dst 68.171.224.0/19");
        assertThat(r.rules()).hasSize(3);
        assertThat(r.rules()).allSatisfy(rule -> assertThat(rule.className()).isEqualTo("BES"));
    }

    @Test
    void aTrailingCommentOnAnAclLineIsNotReadAsNames() {
        ImportResult r = read("acl bes dstdomain .srp.blackberry.com   # SRP relays, see the KB",
                "acl bes dst 68.171.224.0/19 #RIM");
        assertThat(r.rules()).extracting(rule -> rule.host() != null ? rule.host().toString() : rule.cidr().toString())
                .containsExactly("*.srp.blackberry.com", "68.171.224.0/19");
        assertThat(r.notes()).isEmpty();
    }

    @Test
    void regexAndNonDestinationAclTypesAreReported() {
        ImportResult r = read("acl x dstdom_regex ^srp\\.", "acl y src 10.0.0.0/8");
        assertThat(r.rules()).isEmpty();
        assertThat(r.notes()).extracting(Note::toString).containsExactly(
                "bes.acl:1: acl type 'dstdom_regex' is a regular expression (expected: dstdomain or dst;"
                        + " opgate matches names and *.suffix only)",
                "bes.acl:2: acl type 'src' is not a destination name or address (expected: dstdomain or dst)");
    }

    @Test
    void aSquidConfDirectiveIsReportedInsteadOfReadAsNames() {
        ImportResult r = read("acl bb dstdomain .srp.blackberry.com", "http_access deny bb", "alltel.blackberry.com  # BIS portal");

        assertThat(r.rules()).extracting(rule -> rule.host().toString())
                .containsExactly("*.srp.blackberry.com", "alltel.blackberry.com");
        assertThat(r.notes()).singleElement().hasToString("bes.acl:2: 'http_access deny bb' is not one domain or address"
                + " (expected: one value per line, or an acl NAME dstdomain|dst line; other squid.conf directives are not"
                + " imported)");
    }

    @Test
    void addressRangeIsReported() {
        assertThat(read("10.0.0.1-10.0.0.9").notes()).singleElement().hasToString(
                "bes.acl:1: dst '10.0.0.1-10.0.0.9' is an address range (expected: CIDR blocks; split the range)");
    }

    @Test
    void wildcardInsideANameIsReportedWithTheLoadersMessage() {
        assertThat(read("srp.*.blackberry.com").notes()).singleElement().asString()
                .startsWith("bes.acl:1: host 'srp.*.blackberry.com': '*' is only allowed as the whole first label");
    }

    @Test
    void aClassIsRequired() {
        assertThatThrownBy(() -> RuleImporter.read(ImportFormat.SQUID, "bes.acl", List.of(".x.example"), null))
                .hasMessage("a Squid ACL file names no class (expected: --class NAME)");
    }

    @Test
    void importedFileLoadsAndClassifiesLikeSquid(@TempDir Path dir) throws Exception {
        OpgateConfig cfg = Imports.load(dir, read(".srp.blackberry.com", "alltel.blackberry.com", "68.171.224.0/19"));
        assertThat(Imports.classOfSni(cfg, "srp.blackberry.com", 3101)).isEqualTo("BES");
        assertThat(Imports.classOfSni(cfg, "gb.srp.blackberry.com", 3101)).isEqualTo("BES");
        assertThat(Imports.classOfSni(cfg, "www.alltel.blackberry.com", 443)).isEqualTo("OTHER");
        assertThat(Imports.classOfIp(cfg, "68.171.224.9", 3101)).isEqualTo("BES");
    }
}
