package org.opgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class ImportExportCliTest {

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void importOfAFullyCarriedFileExitsZeroAndWritesTheOutput(@TempDir Path dir) throws Exception {
        Path acl = dir.resolve("bes.acl");
        Files.writeString(acl, "# BES\n.srp.blackberry.com\n68.171.224.0/19\n");
        Path out = dir.resolve("bes.yaml");
        Result r = run("import", "--format", "squid", "--class", "BES", acl.toString(), "--output", out.toString());
        assertThat(r.code()).isZero();
        assertThat(Files.readString(out)).contains("host: \"*.srp.blackberry.com\"", "cidr: \"68.171.224.0/19\"");
        assertThat(r.err()).contains("opgate import: 2 rules from " + acl + ", nothing left out; wrote " + out);
    }

    @Test
    void importWithSkippedLinesExitsOneAndListsThemOnStderr(@TempDir Path dir) throws Exception {
        Path protos = dir.resolve("protos.txt");
        Files.writeString(protos, "host:\"srp.blackberry.com\"@BES\nudp:5060@SIP\n");
        Result r = run("import", "--format", "ndpi", protos.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("- id: \"BES-imported-1\"");
        assertThat(r.err()).contains(protos + ":2: udp item 'udp:5060': opgate classifies TCP flows only");
    }

    @Test
    void importOfAnUnreadableFileExitsTwo(@TempDir Path dir) {
        Result r = run("import", "--format", "haproxy-map", dir.resolve("missing.map").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("opgate import: cannot read " + dir.resolve("missing.map"));
    }

    @Test
    void squidImportWithoutAClassIsAUsageError(@TempDir Path dir) throws Exception {
        Path acl = dir.resolve("a.acl");
        Files.writeString(acl, ".x.example\n");
        Result r = run("import", "--format", "squid", acl.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("opgate import: a Squid ACL file names no class (expected: --class NAME)");
    }

    @Test
    void exportHaproxyOfTheBundledConfigPrintsTheRejectLineAndNotes() {
        Result r = run("export", "--format", "haproxy", "--config", "config");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("tcp-request content reject if class_BES { date() ge 1448910000 }",
                "bind 127.0.0.1:8443", "server upstream 127.0.0.1:443");
        assertThat(r.err()).contains("opgate export: haproxy from config, 2 notes");
    }

    @Test
    void exportNftablesListsNameRulesOnStderr() {
        Result r = run("export", "--format", "nftables", "--config", "config");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("table inet opgate {");
        assertThat(r.err()).contains("config/classes/blackberry.yaml:80: rule 'bbm-app' (BBM)");
    }

    @Test
    void exportOfAnUnknownFormatIsAUsageError() {
        Result r = run("export", "--format", "iptables", "--config", "config");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--format 'iptables' (expected: haproxy or nftables)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--bind     | garbage          | --bind 'garbage' has no port",
        "--bind     | 127.0.0.1:99999  | --bind '127.0.0.1:99999': port 99999 is out of range",
        "--bind     | 127.0.0.1:0      | --bind '127.0.0.1:0': port 0 is out of range",
        "--bind     | 1.2.3:8443       | --bind '1.2.3:8443': '1.2.3' is not an IP address",
        "--upstream | nohost           | --upstream 'nohost' has no port",
        "--upstream | 127.0.0.1:70000  | --upstream '127.0.0.1:70000': port 70000 is out of range"})
    void exportHaproxyRefusesAMalformedAddressInsteadOfWritingIt(String option, String value, String message) {
        Result r = run("export", "--format", "haproxy", "--config", "config", option, value);

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines()).singleElement().asString()
                .startsWith("opgate export: " + message).endsWith("(expected: ADDR:PORT like 127.0.0.1:8443 or [::1]:8443, port 1..65535)");
    }

    @Test
    void exportHaproxyTakesAWellFormedBindAndUpstream() {
        Result r = run("export", "--format", "haproxy", "--config", "config", "--bind", "[::1]:9443", "--upstream", "127.0.0.2:3101");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("bind [::1]:9443", "server upstream 127.0.0.2:3101");
    }

    @Test
    void exportHaproxyOfAnSniListenerOnPortZeroAsksForBind(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("opgate.yaml"), """
                classes: [c.yaml]
                listeners:
                  - {name: sni, kind: sni, bind: 127.0.0.1:0}
                """);
        Files.writeString(dir.resolve("c.yaml"), "classes:\n  - name: BES\n    rules: [{id: bes, host: \"*.srp.blackberry.com\"}]\n");

        Result r = run("export", "--format", "haproxy", "--config", dir.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("opgate export: the config's sni listener 'sni' binds port 0",
                "(expected: --bind ADDR:PORT)");
        assertThat(run("export", "--format", "haproxy", "--config", dir.toString(), "--bind", "127.0.0.1:8443").code()).isZero();
    }

    @Test
    void anOutputThatCannotBeWrittenSaysWhy(@TempDir Path dir) throws Exception {
        Path acl = Files.writeString(dir.resolve("bes.acl"), ".srp.blackberry.com\n");
        Path nowhere = dir.resolve("no-such-folder").resolve("out");

        Result export = run("export", "--format", "nftables", "--config", "config", "--output", nowhere.toString());
        Result imported = run("import", "--format", "squid", "--class", "BES", acl.toString(), "--output", nowhere.toString());

        assertThat(export.code()).isEqualTo(2);
        assertThat(export.err().strip()).isEqualTo("opgate export: cannot write " + nowhere + ": no such file or directory");
        assertThat(imported.code()).isEqualTo(2);
        assertThat(imported.err().strip()).isEqualTo("opgate import: cannot write " + nowhere + ": no such file or directory");
    }
}
