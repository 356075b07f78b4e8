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

final class CliTest {

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void runAtAnInstantOutOfTheClocksRangeIsAUsageError() {
        Result r = run("run", "config", "--at", "+10000-01-01T00:00Z");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--at +10000-01-01T00:00Z", "out of range").doesNotContain("internal error");
    }

    @Test
    void checkOnTheBundledConfigExitsZero() {
        Result r = run("check", "config");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("config is valid", "no findings");
    }

    @Test
    void checkWithFindingsExitsOne(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("opgate.yaml"), "classes: [c.yaml]\n");
        Files.writeString(dir.resolve("c.yaml"), """
                classes:
                  - name: BES
                    rules: [{id: all, host: "*.blackberry.com"}]
                  - name: BIS
                    rules: [{id: bis, host: "*.bis.na.blackberry.com"}]
                """);
        Result r = run("check", dir.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("c.yaml:5:13: shadowed: rule 'bis' (BIS) can never match");
    }

    @Test
    void checkOnABrokenConfigNamesFileLineColumnAndExitsTwo(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("opgate.yaml"), "classes: [c.yaml]\n");
        Files.writeString(dir.resolve("c.yaml"), "classes:\n  - name: BES\n    rules:\n      - cidr: 10.0.0.0/33\n");
        Result r = run("check", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("c.yaml:4:15: rule 'BES-1': cidr '10.0.0.0/33': prefix length 33 (expected: 0..32)");
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void checkJsonListsErrors(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("opgate.yaml"), "clases: []\n");
        Result r = run("check", "--json", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("valid").asBoolean()).isFalse();
        assertThat(json.get("errors").get(0).get("message").asText()).contains("unknown key 'clases'");
    }

    @Test
    void explainNamesTheClassAndTheRuleLocation() {
        Result r = run("explain", "--host", "gb.srp.blackberry.com", "--port", "3101", "--config", "config");
        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("class +BES")
                .containsPattern("rule +bes-srp-host +config/classes/blackberry.yaml:\\d+:\\d+");
    }

    @Test
    void explainJsonCarriesChecks() throws Exception {
        Result r = run("explain", "--ip", "68.171.230.4", "--port", "3101", "--config", "config", "--json");
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("class").asText()).isEqualTo("BES");
        assertThat(json.get("rule").get("id").asText()).isEqualTo("bes-srp-68.171.224");
        assertThat(json.get("checks")).hasSize(2);
    }

    @Test
    void explainOfAnUnknownEndpointSaysOther() {
        Result r = run("explain", "--host", "www.example.org", "--port", "443", "--config", "config");
        assertThat(r.out()).containsPattern("class +OTHER").contains("no rule matched");
    }

    @Test
    void explainShowsNearMisses() {
        Result r = run("explain", "--host", "gb.srp.blackberry.com", "--port", "443", "--config", "config");
        assertThat(r.out()).contains("near misses").contains("bes-srp-host (BES)").contains("NO MATCH");
    }

    @Test
    void malformedIpIsOneClearLineAndExitTwo() {
        Result r = run("explain", "--ip", "300.1.1.1", "--port", "1", "--config", "config");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("--ip '300.1.1.1' is not an IP address");
    }

    @Test
    void portOutOfRangeIsExitTwo() {
        Result r = run("explain", "--host", "a.example", "--port", "70000", "--config", "config");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--port 70000 (expected: 1..65535)");
    }

    @Test
    void nonNumericPortIsExitTwoWithoutStackTrace() {
        Result r = run("explain", "--host", "a.example", "--port", "https");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--port").doesNotContain("at org.");
    }

    @Test
    void unknownFlagIsExitTwo() {
        Result r = run("check", "--frobnicate");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--frobnicate'").contains("opgate check --help");
    }

    @Test
    void missingConfigIsExitTwo() {
        Result r = run("explain", "--host", "a.example", "--port", "1", "--config", "/nonexistent/opgate");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("does not exist");
    }

    @Test
    void noCommandIsExitTwo() {
        assertThat(run().code()).isEqualTo(2);
    }
}
