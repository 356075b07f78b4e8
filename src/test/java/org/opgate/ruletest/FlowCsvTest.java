package org.opgate.ruletest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.config.ConfigException;

final class FlowCsvTest {

    @TempDir
    Path dir;

    private List<String> errors(String csv) throws Exception {
        Path file = TempConfig.file(dir, "flows.csv", csv);
        String prefix = dir.toString().replace('\\', '/') + "/";
        return assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> FlowCsv.read(file)).actual()
                .errors().stream().map(e -> e.toString().replace(prefix, "")).toList();
    }

    @Test
    void aMissingFileIsNamedAsACsvFile() {
        Path file = dir.resolve("missing.csv");
        String prefix = dir.toString().replace('\\', '/') + "/";

        List<String> errors = assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> FlowCsv.read(file))
                .actual().errors().stream().map(e -> e.toString().replace(prefix, "")).toList();

        assertThat(errors).containsExactly("missing.csv: file 'missing.csv' does not exist"
                + " (expected: an existing CSV file with header host,sni,ip,port[,operator])");
    }

    @Test
    void readsFlowsWithEmptyCellsAsUnknownFacts() throws Exception {
        Path file = TempConfig.file(dir, "flows.csv", """
                # flows to compare
                host,sni,ip,port,operator
                gb.srp.blackberry.com,,,3101,
                ,goods.bbm.blackberry.com,,443,ufone

                ,,68.171.230.4,3101,
                """);

        List<DiffFlow> flows = FlowCsv.read(file);

        assertThat(flows).extracting(DiffFlow::target)
                .containsExactly("gb.srp.blackberry.com", "sni goods.bbm.blackberry.com", "68.171.230.4");
        assertThat(flows.get(1).flow().operator()).isEqualTo("ufone");
        assertThat(flows.get(0).flow().operator()).isNull();
        assertThat(flows.get(2).source()).endsWith("flows.csv:6");
    }

    @Test
    void columnsMayComeInAnyOrderAndOperatorIsOptional() throws Exception {
        Path file = TempConfig.file(dir, "flows.csv", "port,ip\n3101,68.171.230.4\n");

        List<DiffFlow> flows = FlowCsv.read(file);

        assertThat(flows).singleElement().satisfies(f -> {
            assertThat(f.flow().port()).isEqualTo(3101);
            assertThat(f.flow().ip()).hasToString("68.171.230.4");
        });
    }

    @Test
    void aByteOrderMarkAsSpreadsheetsWriteItIsNotPartOfTheHeader() throws Exception {
        Path file = TempConfig.file(dir, "flows.csv", "\uFEFFhost,sni,ip,port\r\ngb.srp.blackberry.com,,,3101\r\n");

        assertThat(FlowCsv.read(file)).extracting(DiffFlow::target).containsExactly("gb.srp.blackberry.com");
    }

    @Test
    void anUnknownColumnIsAnErrorWithADidYouMean() throws Exception {
        assertThat(errors("host,sni,ip,prot\na.example,,,1\n")).containsExactly(
                "flows.csv:1:13: unknown column 'prot'; did you mean 'port'? (expected: columns among host, sni, ip,"
                        + " port, operator, subscriber)");
    }

    @Test
    void aHeaderWithoutPortIsAnError() throws Exception {
        assertThat(errors("host,sni\na.example,\n")).containsExactly(
                "flows.csv:1:1: header has no 'port' column (expected: host,sni,ip,port[,operator])");
    }

    @Test
    void everyBadRowIsReportedWithLineAndColumn() throws Exception {
        assertThat(errors("""
                host,sni,ip,port
                a.example,,,99999
                bad..name,,,443
                ,,300.1.1.1,443
                ,,,443
                a.example,,443
                """)).containsExactly(
                "flows.csv:2:13: port '99999' is not a port (expected: 1..65535)",
                "flows.csv:3:1: host 'bad..name' is not a host name: empty label (expected: labels separated by single"
                        + " dots)",
                "flows.csv:4:3: ip '300.1.1.1' is not an IP address (expected: IPv4 like 192.0.2.1 or IPv6 like"
                        + " 2001:db8::1)",
                "flows.csv:5:1: line has no host, sni or ip (expected: at least one of them)",
                "flows.csv:6:1: line has 3 cells, the header 4 (expected: 4 comma-separated cells, empty for unknown"
                        + " facts)");
    }

    @Test
    void aFileWithOnlyAHeaderIsAnError() throws Exception {
        assertThat(errors("host,port\n")).containsExactly(
                "flows.csv:1:1: file has no flows (expected: at least one line after the header)");
    }
}
