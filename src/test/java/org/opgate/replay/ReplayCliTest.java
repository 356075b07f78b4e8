package org.opgate.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.cli.Main;

/** {@code opgate replay} on the committed captures and the bundled config. */
final class ReplayCliTest {

    private static final String CAPTURES = "src/test/resources/captures/";

    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void theDemoCaptureIsSummarisedPerClassAndVerdictAndListedPerFlow() throws Exception {
        Result r = run("replay", CAPTURES + "demo.pcap", "--config", "config");

        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("opgate replay: src/test/resources/captures/demo.pcap: 49 packets, 5 TCP flows"
                + " (1 through CONNECT, 1 through SOCKS5), 1 DNS answer, read fully; config config; decided at each"
                + " flow's first packet\n"
                + "CLASS  VERDICT  FLOWS\n"
                + "BES    block    2\n"
                + "BBM    allow    1\n"
                + "OTHER  allow    1\n"
                + "BIS    allow    1\n"
                + "flows:\n")
                .containsPattern("  3 +2015-12-01T05:00:00.002Z +10.0.0.5:50001 +203.0.113.10:3101 +other +- +- +- +"
                        + "gb.srp.blackberry.com +BES +bes-srp-host +block\n")
                .containsPattern("  16 +\\S+ +10.0.0.5:50003 +192.0.2.1:8080 +connect +- +- +gb.srp.blackberry.com:3101"
                        + " +- +BES +bes-srp-host +block\n")
                .containsPattern("  32 +\\S+ +10.0.0.5:50005 +192.0.2.1:1080 +socks5 +923331234567 +bis.na.blackberry.com"
                        + " +bis.na.blackberry.com:443 +- +BIS +bis-na +allow\n");
    }

    @Test
    void csvAndJsonShowTheTunnelTheUserAndTheInnerSni() throws Exception {
        Path csv = dir.resolve("flows.csv");

        Result r = run("replay", CAPTURES + "demo.pcap", "--config", "config", "--csv", csv.toString(), "--json");

        assertThat(r.code()).isZero();
        assertThat(Files.readAllLines(csv)).contains(
                "16,2015-12-01T05:00:00.015Z,10.0.0.5:50003,192.0.2.1:8080,tls,,gb.srp.blackberry.com:3101,,BES,"
                        + "bes-srp-host,block,pta-2015-bes,connect,,",
                "32,2015-12-01T05:00:00.031Z,10.0.0.5:50005,192.0.2.1:1080,tls,bis.na.blackberry.com,"
                        + "bis.na.blackberry.com:443,,BIS,bis-na,allow,,socks5,923331234567,");
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("tunnels").toString()).isEqualTo("{\"connect\":1,\"socks5\":1}");
        JsonNode socks = json.get("flows").get(4);
        assertThat(socks.get("tunnel").asText()).isEqualTo("socks5");
        assertThat(socks.get("destination").asText()).isEqualTo("bis.na.blackberry.com:443");
        assertThat(socks.get("user").asText()).isEqualTo("923331234567");
        assertThat(socks.get("sni").asText()).isEqualTo("bis.na.blackberry.com");
        assertThat(socks.get("decisions").get(0).get("operators").toString()).isEqualTo("[\"ufone\"]");
    }

    @Test
    void atBeforeTheDeadlineTheSameFlowsAreNotified() throws Exception {
        Result r = run("replay", CAPTURES + "demo.pcap", "--config", "config", "--at", "2015-11-30T23:59:59+05:00");

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("decided at 2015-11-30T23:59:59+05:00\n").contains("BES    notify   2\n");
    }

    @Test
    void csvAndJsonListEveryFlow() throws Exception {
        Path csv = dir.resolve("flows.csv");

        Result r = run("replay", CAPTURES + "demo-cooked-ipv6.pcapng", "--config", "config", "--csv", csv.toString(),
                "--json");

        assertThat(r.code()).isZero();
        assertThat(Files.readString(csv)).isEqualTo("""
                packet,first,client,server,protocol,sni,host,dns,class,rule,verdict,policy,tunnel,user,fronting
                2,2015-12-01T05:00:00.001Z,[2001:db8::5]:40001,[2001:db8:bb::25]:443,tls,srs.bis.eu.blackberry.com,,\
                srs.bis.eu.blackberry.com,BIS,bis-eu,allow,,,,
                10,2015-12-01T05:00:00.009Z,10.0.0.5:50010,198.51.100.40:80,http,,smtp01.bis.na.blackberry.com,,BIS,\
                bis-na,allow,,,,
                """);
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("complete").asBoolean()).isTrue();
        assertThat(json.get("summary").get(0).toString()).isEqualTo("{\"class\":\"BIS\",\"verdict\":\"allow\",\"flows\":2}");
        assertThat(json.get("flows").get(0).get("sni").asText()).isEqualTo("srs.bis.eu.blackberry.com");
        assertThat(json.get("flows").get(0).get("client").asText()).isEqualTo("[2001:db8::5]:40001");
    }

    @Test
    void aTruncatedCaptureReportsItsFlowsThenTheErrorWithThePacketAndExits2() throws Exception {
        Result r = run("replay", CAPTURES + "truncated.pcap", "--config", "config");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).contains("46 packets, 5 TCP flows (1 through CONNECT, 1 through SOCKS5), 1 DNS answer,"
                + " read in part;")
                .contains("BES    block    2\n")
                .containsPattern("  26 +\\S+ +10.0.0.5:50004 +198.51.100.30:443 +tls +- +www.example.com +- +- +OTHER"
                        + " +- +allow\n");
        assertThat(r.err()).isEqualTo("opgate replay: src/test/resources/captures/truncated.pcap: packet 47 at byte"
                + " 5159: packet data cut short: 164 of 524 bytes (expected: the whole packet; the capture was cut off)\n"
                + "opgate replay: the capture could not be read to its end; the 5 flows read before the problem are"
                + " reported\n");
    }

    @Test
    void aMissingCaptureIsAnErrorNamingIt() throws Exception {
        Result r = run("replay", dir.resolve("nope.pcap").toString(), "--config", "config");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("cannot read " + dir.resolve("nope.pcap"));
    }

    @Test
    void aMissingCaptureOrADirectoryIsOneClearLineWithoutASummary() throws Exception {
        Result missing = run("replay", dir.resolve("nope.pcap").toString(), "--config", "config");
        Result directory = run("replay", dir.toString(), "--config", "config", "--json");

        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.err()).isEqualTo("opgate replay: cannot read " + dir.resolve("nope.pcap")
                + ": no such file (expected: a pcap or pcapng capture)\n");
        assertThat(directory.code()).isEqualTo(2);
        assertThat(directory.out()).isEmpty();
        assertThat(directory.err()).isEqualTo("opgate replay: cannot read " + dir
                + ": it is a directory (expected: a pcap or pcapng capture)\n");
    }
}
