package org.opgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code explain --at} and {@code timeline} on the bundled config. */
final class PolicyCliTest {

    private static final String BES_HOST = "gb.srp.blackberry.com";
    private static final String BLOCK_REASON = "BES access closed from 1 Dec 2015 00:00 PKT by order of the Pakistan"
            + " Telecommunication Authority (notice of 24 Jul 2015)";

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    private static Result explainBes(String at, String... more) {
        String[] args = {"explain", "--host", BES_HOST, "--port", "3101", "--at", at, "--config", "config"};
        String[] all = new String[args.length + more.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return run(all);
    }

    @Test
    void explainJustBeforeTheDeadlineSaysNotify() {
        Result r = explainBes("2015-11-30T23:59:59+05:00");

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("decision  NOTIFY  for all operators")
                .contains("phase     from 24 Jul 2015 00:00 PKT (2015-07-23T19:00:00Z) until 1 Dec 2015 00:00 PKT"
                        + " (2015-11-30T19:00:00Z)")
                .doesNotContain("BLOCK");
    }

    @Test
    void explainAtTheDeadlineSaysBlockWithTheReason() {
        Result r = explainBes("2015-12-01T00:00:00+05:00");

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("decision  BLOCK  for all operators")
                .contains("policy    pta-2015-bes, phase 'deadline' (block, cut existing)")
                .contains("reason    " + BLOCK_REASON + "\n");
    }

    @ParameterizedTest(name = "{0}:{1} is {2}")
    @CsvSource({
        "goods.bbm.blackberry.com,  443, BBM",
        "srs.bis.na.blackberry.com, 25,  BIS",
    })
    void explainAtTheDeadlineAllowsBbmAndBis(String host, String port, String trafficClass) {
        Result r = run("explain", "--host", host, "--port", port, "--at", "2015-12-01T00:00:00+05:00",
                "--config", "config");

        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("class +" + trafficClass + "\\b")
                .contains("decision  ALLOW  for all operators")
                .contains("reason    no policy restricts " + trafficClass + " at this time");
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "2015-12-01T00:00[Asia/Karachi],        BLOCK,  2015-11-30T19:00:00Z",
        "2015-11-30T23:59:59.999[Asia/Karachi], NOTIFY, 2015-11-30T18:59:59.999Z",
        "2015-11-30T19:00:00Z,                  BLOCK,  2015-11-30T19:00:00Z",
        "2015-11-30T18:59:59.999Z,              NOTIFY, 2015-11-30T18:59:59.999Z",
        "2015-12-01T00:00+05:00[Asia/Karachi],  BLOCK,  2015-11-30T19:00:00Z",
    })
    void atAcceptsAZoneOrZ(String at, String verdict, String instant) {
        Result r = explainBes(at);

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("at        " + at + "  (" + instant + ")")
                .contains("decision  " + verdict + "  for all operators");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2015-12-01T00:00", "tomorrow", "2015-12-01", "2015-12-01T00:00+05:00[Mars/Olympus]",
        "1 Dec 2015 00:00 PKT"})
    void aBadAtIsExitTwoWithOneClearLine(String at) {
        Result r = explainBes(at);

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).containsExactly("opgate explain: --at '" + at + "' is not an instant (expected:"
                + " ISO-8601 with an offset or zone, like 2015-12-01T00:00+05:00, 2015-11-30T19:00Z or"
                + " 2015-12-01T00:00[Asia/Karachi])");
    }

    @Test
    void anUnknownOperatorIsExitTwo() {
        Result r = explainBes("2015-12-01T00:00:00+05:00", "--operator", "jazz");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).containsExactly("opgate explain: --operator 'jazz' is not in the config"
                + " (expected: one of [mobilink, ufone, telenor, zong, warid])");
    }

    @Test
    void aKnownOperatorDecidesForThatOperatorOnly() {
        Result r = explainBes("2015-12-01T00:00:00+05:00", "--operator", "telenor");

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("decision  BLOCK  for telenor\n");
    }

    @Test
    void aSubscriberMsisdnPicksItsOperator() {
        Result r = explainBes("2015-12-01T00:00:00+05:00", "--subscriber", "+923001234567");

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("decision  BLOCK  for mobilink\n");
    }

    /** A CDN class listed before BES, so a flow whose SNI is the CDN's wins that class as a whole. */
    private static Path frontingConfig(Path dir) throws Exception {
        Files.writeString(dir.resolve("opgate.yaml"), "classes: [c.yaml]\npolicies: [p.yaml]\n");
        Files.writeString(dir.resolve("c.yaml"), """
                classes:
                  - name: CDN
                    rules: [{id: cdn, host: "*.cdn.example", ports: [443]}]
                  - name: BES
                    rules: [{id: bes, host: "*.srp.blackberry.com", ports: [443]}]
                """);
        Files.writeString(dir.resolve("p.yaml"), """
                policies:
                  - id: ban
                    class: BES
                    zone: Asia/Karachi
                    phases: [{name: deadline, from: 2015-12-01T00:00, action: block}]
                """);
        return dir;
    }

    @Test
    void explainBlocksADomainFrontedFlowWhoseRequestedHostIsBlocked(@TempDir Path dir) throws Exception {
        Result r = run("explain", "--host", BES_HOST, "--sni", "a.cdn.example", "--port", "443",
                "--at", "2015-12-01T00:00+05:00", "--config", frontingConfig(dir).toString());

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("fronting  requested host " + BES_HOST + " is BES (rule bes), SNI a.cdn.example"
                        + " is CDN (rule cdn)")
                .contains("decision  BLOCK\n")
                .contains("policy    ban, phase 'deadline' (block)");
    }

    @Test
    void explainJsonNamesBothSidesOfADomainFrontedFlow(@TempDir Path dir) throws Exception {
        Result r = run("explain", "--host", BES_HOST, "--sni", "a.cdn.example", "--port", "443",
                "--at", "2015-12-01T00:00+05:00", "--config", frontingConfig(dir).toString(), "--json");

        assertThat(r.code()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("fronting").get("host").get("class").asText()).isEqualTo("BES");
        assertThat(json.get("fronting").get("sni").get("rule").asText()).isEqualTo("cdn");
        assertThat(json.get("decisions").get(0).get("verdict").asText()).isEqualTo("block");
    }

    @Test
    void timelineForBesListsBothPtaPhases() {
        Result r = run("timeline", "--class", "BES", "--config", "config");

        assertThat(r.code()).isZero();
        assertThat(r.out().lines()).hasSize(2);
        assertThat(r.out().lines().toList().get(0)).startsWith("24 Jul 2015 00:00 PKT")
                .contains("2015-07-23T19:00:00Z", "BES", "all operators", "pta-2015-bes 'notice'")
                .containsPattern("allow +-> notify");
        assertThat(r.out().lines().toList().get(1)).startsWith("1 Dec 2015 00:00 PKT")
                .contains("2015-11-30T19:00:00Z", "BES", "all operators", "pta-2015-bes 'deadline', cut existing")
                .containsPattern("notify +-> block");
    }

    @Test
    void timelineOfAConfigWithoutOperatorsSaysTheBoundariesApplyToAnyOperator() {
        Result r = run("timeline", "--class", "BES", "--config", "config/pta-2015-as-happened.yaml");

        assertThat(r.code()).isZero();
        assertThat(r.out().lines()).hasSize(3)
                .allSatisfy(line -> assertThat(line).containsPattern("BES +any operator +(allow|notify) +->"));
    }

    @Test
    void timelineJsonParses() throws Exception {
        Result r = run("timeline", "--json", "--config", "config");

        assertThat(r.code()).isZero();
        JsonNode rows = new ObjectMapper().readTree(r.out());
        assertThat(rows.isArray()).isTrue();
        assertThat(rows).hasSize(2);
        JsonNode deadline = rows.get(1);
        assertThat(deadline.get("at").asText()).isEqualTo("2015-11-30T19:00:00Z");
        assertThat(deadline.get("local").asText()).isEqualTo("1 Dec 2015 00:00 PKT");
        assertThat(deadline.get("class").asText()).isEqualTo("BES");
        assertThat(deadline.get("operators")).hasSize(5);
        assertThat(deadline.get("before").asText()).isEqualTo("notify");
        assertThat(deadline.get("after").asText()).isEqualTo("block");
        assertThat(deadline.get("phases").get(0).get("policy").asText()).isEqualTo("pta-2015-bes");
        assertThat(deadline.get("phases").get(0).get("cutExisting").asBoolean()).isTrue();
    }

    @Test
    void timelineWithABadClassIsExitTwo() {
        Result r = run("timeline", "--class", "BESS", "--config", "config");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).containsExactly("opgate timeline: --class 'BESS' is not in the config"
                + " (expected: one of [BES, BBM, BIS, OTHER])");
    }
}
