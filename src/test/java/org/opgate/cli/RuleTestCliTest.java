package org.opgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** {@code opgate test} and {@code opgate diff} on the bundled config and its shipped suites. */
final class RuleTestCliTest {

    private static final String PTA_WINDOW_FROM = "2015-11-01T00:00+05:00";
    private static final String PTA_WINDOW_TO = "2016-01-31T00:00+05:00";

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

    /** A suite next to the bundled config, so its cases run against it. */
    private Path suite(String cases) throws Exception {
        Path file = dir.resolve("suite.yaml");
        Files.writeString(file, "config: " + Path.of("config").toAbsolutePath() + "\ncases:\n" + cases);
        return file;
    }

    @Test
    void theShippedSuitesPass() {
        Result r = run("test", "config/tests");

        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("config/tests/bes-rules.yaml  (config: config,")
                .contains("config/tests/pta-2015-as-happened.yaml  (config: config/pta-2015-as-happened.yaml,")
                .doesNotContain("FAIL")
                .containsPattern("\\n\\d+ passed, 0 failed\\n$");
    }

    @Test
    void theShippedSuitesHitEveryBundledRule() throws Exception {
        Result r = run("test", "config/tests", "--json");
        JsonNode json = new ObjectMapper().readTree(r.out());
        java.util.Set<String> hit = new java.util.HashSet<>();
        json.get("suites").forEach(s -> s.get("cases").forEach(c -> hit.add(c.get("rule").asText())));

        var rules = org.opgate.config.ConfigLoader.load(Path.of("config")).rules().rules();

        assertThat(rules).allSatisfy(rule -> assertThat(hit).as("cases hitting rule %s", rule.id()).contains(rule.id()));
    }

    @Test
    void aWrongExpectationFailsNamingTheCaseExpectedActualAndTheRuleThatMatched() throws Exception {
        Path file = suite("""
                  - name: the SRP relay is BIS (it is not)
                    host: gb.srp.blackberry.com
                    port: 3101
                    at: 2015-12-01T00:00+05:00
                    expect: {class: BIS, verdict: allow}
                """);

        Result r = run("test", file.toString());

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out())
                .contains("  FAIL  the SRP relay is BIS (it is not)\n")
                .contains("FAIL  the SRP relay is BIS (it is not)  " + file.toString().replace('\\', '/') + ":3:5\n")
                .contains("  expected  class BIS, verdict allow\n")
                .contains("  got       class BES (rule bes-srp-host) instead of BIS\n")
                .contains("  got       verdict block instead of allow (all operators)\n")
                .containsPattern("rule +bes-srp-host +\\S*config/classes/blackberry.yaml:\\d+:\\d+")
                .containsPattern("compared +host +\\*\\.srp\\.blackberry\\.com +vs host gb\\.srp\\.blackberry\\.com +match")
                .contains("decision  BLOCK  for all operators")
                .contains("reason    BES access closed from 1 Dec 2015 00:00 PKT")
                .endsWith("0 passed, 1 failed\n");
    }

    @Test
    void aFailureShowsTheNearMissesOfWhatHappenedInstead() throws Exception {
        Path file = suite("  - {name: wrong port, host: gb.srp.blackberry.com, port: 443, expect: {class: BES}}\n");

        Result r = run("test", file.toString());

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("got       class OTHER instead of BES")
                .contains("rule      none: no rule matched, so the class is OTHER")
                .contains("near misses").contains("bes-srp-host (BES)").contains("NO MATCH");
    }

    @Test
    void aBrokenSuiteIsExitTwoWithLocatedErrors() throws Exception {
        Path file = suite("  - {name: a, host: gb.srp.blackberry.com, port: 3101, expect: {clas: BES}}\n");

        Result r = run("test", file.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains(file.toString().replace('\\', '/') + ":3:65: unknown key 'clas' in expect; did you"
                + " mean 'class'?").contains("opgate test: 1 error in test suites");
    }

    @Test
    void aMissingSuiteIsExitTwo() {
        Result r = run("test", "no/such/suite.yaml");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no/such/suite.yaml: 'no/such/suite.yaml' does not exist");
    }

    @Test
    void withoutFilesTheConfigsTestsDirectoryRuns() {
        Result r = run("test", "--config", "config");

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("config/tests/uae-2010.yaml");
    }

    @Test
    void junitXmlIsWrittenForCi() throws Exception {
        Path file = suite("""
                  - {name: passes, host: gb.srp.blackberry.com, port: 3101, expect: {class: BES}}
                  - {name: fails, host: gb.srp.blackberry.com, port: 3101, expect: {class: BBM}}
                """);
        Path xml = dir.resolve("reports/junit.xml");

        Result r = run("test", file.toString(), "--junit", xml.toString());

        assertThat(r.code()).isEqualTo(1);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        assertThat(doc.getDocumentElement().getAttribute("tests")).isEqualTo("2");
        assertThat(doc.getElementsByTagName("failure").item(0).getTextContent())
                .contains("got       class BES (rule bes-srp-host) instead of BBM");
    }

    @Test
    void jsonListsEachCaseWithWhatHappened() throws Exception {
        Path file = suite("""
                  - {name: fails, host: gb.srp.blackberry.com, port: 3101, operator: ufone, at: 2015-12-01T00:00+05:00, expect: {verdict: notify}}
                """);

        JsonNode json = new ObjectMapper().readTree(run("test", file.toString(), "--json").out());

        JsonNode c = json.get("suites").get(0).get("cases").get(0);
        assertThat(json.get("failed").asInt()).isEqualTo(1);
        assertThat(c.get("passed").asBoolean()).isFalse();
        assertThat(c.get("rule").asText()).isEqualTo("bes-srp-host");
        assertThat(c.get("decisions").get(0).get("verdict").asText()).isEqualTo("block");
        assertThat(c.get("mismatches").get(0).get("actual").asText()).isEqualTo("block");
    }

    @Test
    void diffOfTheIssuedAndTheAsHappenedPtaOrderShowsBesChangesFromTheDeadline() {
        Result r = run("diff", "config", "config/pta-2015-as-happened.yaml", "--from", PTA_WINDOW_FROM, "--to", PTA_WINDOW_TO);

        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out())
                .containsPattern("2015-12-01T00:00\\+05:00 +2015-12-31T00:00\\+05:00 +srp\\.blackberry\\.com +3101 +all"
                        + " +BES bes-srp-host block +BES bes-srp-host notify")
                .containsPattern("2015-12-31T00:00\\+05:00 +end +srp\\.blackberry\\.com +3101 +all +BES bes-srp-host block"
                        + " +BES bes-srp-host allow")
                .doesNotContain("BBM").doesNotContain("BIS")
                .contains("4 instants from 2015-11-01T00:00+05:00 to 2016-01-31T00:00+05:00");
    }

    @Test
    void diffOfAConfigWithItselfIsExitZero() {
        Result r = run("diff", "config", "config");

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("no differences");
    }

    @Test
    void diffReadsFlowsFromCsv() throws Exception {
        Path csv = dir.resolve("flows.csv");
        Files.writeString(csv, "host,sni,ip,port,operator\ngoods.bbm.blackberry.com,,,443,\n,,68.171.230.4,3101,ufone\n");

        Result r = run("diff", "config", "config/uae-2010.yaml", "--flows", csv.toString(), "--from",
                "2010-10-11T00:00+04:00", "--to", "2010-10-12T00:00+04:00", "--json");

        assertThat(r.code()).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("flows").asInt()).isEqualTo(2);
        assertThat(json.get("changes")).hasSize(2);
        JsonNode bbm = json.get("changes").get(0);
        assertThat(bbm.get("flow").get("host").asText()).isEqualTo("goods.bbm.blackberry.com");
        assertThat(bbm.get("old").get("verdict").asText()).isEqualTo("allow");
        assertThat(bbm.get("new").get("verdict").asText()).isEqualTo("block");
        assertThat(bbm.get("new").get("policy").asText()).isEqualTo("uae-2010-bbm");
        assertThat(json.get("changes").get(1).get("operators")).hasSize(1);
    }

    @Test
    void diffReadsFlowsFromATestSuite() {
        Result r = run("diff", "config", "config/pta-2015-as-happened.yaml", "--flows", "config/tests/pta-2015.yaml",
                "--from", PTA_WINDOW_FROM, "--to", PTA_WINDOW_TO);

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("flows (from config/tests/pta-2015.yaml)").contains("gb.srp.blackberry.com");
    }

    @Test
    void diffWithABadFromIsExitTwo() {
        Result r = run("diff", "config", "config", "--from", "1 Dec 2015");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--from '1 Dec 2015' is not an instant");
    }

    @Test
    void diffWithABrokenFlowsFileIsExitTwo() throws Exception {
        Path csv = dir.resolve("flows.csv");
        Files.writeString(csv, "host,prot\na.example,1\n");

        Result r = run("diff", "config", "config", "--flows", csv.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("flows.csv:1:6: unknown column 'prot'; did you mean 'port'?");
    }
}
