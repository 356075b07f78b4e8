package org.opgate.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.config.ConfigLoader;

/** Golden snippets of the nftables export of the bundled config. */
final class NftablesExporterTest {

    private static Export export;

    @BeforeAll
    static void exportBundledConfig() throws Exception {
        export = NftablesExporter.export(ConfigLoader.load(Path.of("config")));
    }

    @Test
    void besPrefixesFormOneIntervalSetWithEachRulesLocation() {
        assertThat(export.text()).containsSubsequence("table inet opgate {", "    set BES_1_v4 {",
                "        type ipv4_addr", "        flags interval",
                "            103.246.201.0/24,  # config/classes/blackberry.yaml:36 bes-srp-103.246.201",
                "            93.186.16.0/20  # config/classes/blackberry.yaml:62 bes-srp-93.186.16");
    }

    @Test
    void anEarlierAddressRuleOfAnotherClassThatOpgateLetsWinIsANote(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("opgate.yaml"), "classes: [c.yaml]\npolicies: [p.yaml]\n");
        Files.writeString(dir.resolve("c.yaml"), """
                classes:
                  - name: OK
                    rules: [{id: ok-net, cidr: 68.171.230.0/24}]
                  - name: BES
                    rules: [{id: bes-net, cidr: 68.171.224.0/19, ports: [3101]}]
                """);
        Files.writeString(dir.resolve("p.yaml"), """
                policies:
                  - id: ban
                    class: BES
                    zone: UTC
                    phases: [{name: deadline, from: 2015-12-01T00:00, action: block}]
                """);

        Export e = NftablesExporter.export(ConfigLoader.load(dir));

        assertThat(e.notes()).extracting(Note::toString).contains(dir.resolve("c.yaml") + ":5: rule 'bes-net' (BES):"
                + " rule 'ok-net' (OK) at " + dir.resolve("c.yaml") + ":3 comes first, so opgate puts ip 68.171.230.0"
                + " port 3101 in class OK; nftables has no first match across classes and rejects it with BES");
    }

    @Test
    void besPortsFormASetOfTheirOwn() {
        assertThat(export.text()).contains("    set BES_1_ports {\n        type inet_service\n        flags interval\n"
                + "        elements = { 3101 }\n    }\n");
    }

    @Test
    void blockPhaseResetsFromItsUtcInstant() {
        assertThat(export.text()).contains("        ip daddr @BES_1_v4 tcp dport @BES_1_ports"
                + " meta time >= \"2015-11-30 19:00:00\" reject with tcp reset\n");
    }

    @Test
    void nameRulesAreCommentsAndListedInTheNotes() {
        assertThat(export.text()).contains("# config/classes/blackberry.yaml:29 rule 'bes-srp-host' (BES):"
                + " host=*.srp.blackberry.com ports=3101: names are not visible to nftables");
        assertThat(export.notes()).extracting(Note::toString).contains(
                "config/classes/blackberry.yaml:29: rule 'bes-srp-host' (BES): host=*.srp.blackberry.com ports=3101:"
                        + " nftables cannot match host or sni names; not exported",
                "config/classes/blackberry.yaml:80: rule 'bbm-app' (BBM): host=*.bbm.blackberry.com ports=443, 8443:"
                        + " nftables cannot match host or sni names; not exported");
    }

    @Test
    void notifyPhaseIsACommentOnly() {
        assertThat(export.text()).contains("#   phase 'notice' (config/policies/pta-2015.yaml:38) from 2015-07-24T00:00"
                + " Asia/Karachi = 2015-07-23 19:00:00 UTC: notify\n");
        assertThat(export.text()).containsOnlyOnce("reject with tcp reset");
    }
}
