package org.opgate.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opgate.config.ConfigLoader;

/** Golden snippets of the HAProxy export of the bundled config. */
final class HaproxyExporterTest {

    private static Export export;

    @BeforeAll
    static void exportBundledConfig() throws Exception {
        export = HaproxyExporter.export(ConfigLoader.load(Path.of("config")), "127.0.0.1:8443", "127.0.0.1:443");
    }

    @Test
    void frontendIsTcpModeWithInspectDelay() {
        assertThat(export.text()).containsSubsequence("frontend opgate\n", "    bind 127.0.0.1:8443\n",
                "    mode tcp\n", "    tcp-request inspect-delay 5s\n");
    }

    @Test
    void besHostRuleIsSniExactOrSuffixAndedWithItsPort() {
        assertThat(export.text()).contains("""
                    # config/classes/blackberry.yaml:29 rule 'bes-srp-host' (BES): host=*.srp.blackberry.com ports=3101
                    acl bes-srp-host.port dst_port 3101
                    acl bes-srp-host.host req.ssl_sni,lower -m str srp.blackberry.com
                    acl bes-srp-host.host req.ssl_sni,lower -m end .srp.blackberry.com
                    tcp-request content set-var(sess.opgate_class) str(BES) if !opgate_classified bes-srp-host.port bes-srp-host.host
                """);
    }

    @Test
    void besAddressRuleIsDstAndedWithDstPort() {
        assertThat(export.text()).contains("""
                    # config/classes/blackberry.yaml:36 rule 'bes-srp-103.246.201' (BES): cidr=103.246.201.0/24 ports=3101
                    acl bes-srp-103.246.201.dst dst 103.246.201.0/24
                    acl bes-srp-103.246.201.port dst_port 3101
                    tcp-request content set-var(sess.opgate_class) str(BES) if !opgate_classified bes-srp-103.246.201.dst bes-srp-103.246.201.port
                """);
    }

    @Test
    void exactHostGetsOnlyAStringMatch() {
        assertThat(export.text()).contains("acl bis-portal-alltel.host req.ssl_sni,lower -m str alltel.blackberry.com\n")
                .doesNotContain("-m end .alltel.blackberry.com");
    }

    @Test
    void blockPhaseRejectsTheClassFromItsEpochSecond() {
        // 2015-12-01T00:00 Asia/Karachi = 2015-12-01T00:00+05:00 = 1448910000
        assertThat(export.text()).contains("    tcp-request content reject if class_BES { date() ge 1448910000 }\n");
    }

    @Test
    void rejectsComeAfterClassificationAndBeforeTheHelloAccept() {
        assertThat(export.text()).containsSubsequence("str(BIS) if !opgate_classified bis-portal-sprint",
                "reject if class_BES", "tcp-request content accept if { req.ssl_hello_type 1 }",
                "default_backend opgate_upstream", "backend opgate_upstream", "server upstream 127.0.0.1:443");
    }

    @Test
    void notifyPhaseAndCutExistingAreCommentsAndNotes() {
        assertThat(export.text()).contains("phase 'notice' (config/policies/pta-2015.yaml:38) from 2015-07-24T00:00"
                + " = 1437678000: notify (opgate only");
        assertThat(export.notes()).extracting(Note::toString).containsExactly(
                "config/policies/pta-2015.yaml:38: policy 'pta-2015-bes' phase 'notice': notify has no HAProxy"
                        + " equivalent; exported as a comment",
                "config/policies/pta-2015.yaml:43: policy 'pta-2015-bes' phase 'deadline': cut-existing has no"
                        + " HAProxy rule (run 'shutdown sessions' at the instant)");
    }
}
