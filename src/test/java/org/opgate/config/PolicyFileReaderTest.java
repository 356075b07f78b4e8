package org.opgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opgate.policy.Action;
import org.opgate.policy.Phase;
import org.opgate.policy.Policy;

/** Policy files, read through {@link ConfigLoader#load} on a config written to a temporary directory. */
final class PolicyFileReaderTest {

    private static final String MAIN = """
            classes: [classes/c.yaml]
            operators:
              - {id: mobilink, pools: [127.1.0.0/16], msisdn-prefixes: ["9230"]}
              - {id: ufone, pools: [127.2.0.0/16]}
            policies: [policies/*.yaml]
            """;
    private static final String CLASSES = """
            classes:
              - name: BES
                rules: [{host: "*.srp.blackberry.com", ports: [3101]}]
              - name: BBM
                rules: [{host: "*.bbm.blackberry.com"}]
              - name: BIS
                rules: [{host: "*.bis.na.blackberry.com"}]
            """;

    @TempDir
    Path dir;

    private void write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    /** Writes the main and class files and {@code policies/p.yaml}. */
    private void writePolicies(String policies) throws IOException {
        write("opgate.yaml", MAIN);
        write("classes/c.yaml", CLASSES);
        write("policies/p.yaml", policies);
    }

    /** Every error of loading the config, with the temporary directory left out of the locations. */
    private List<String> errors(String policies) throws IOException {
        writePolicies(policies);
        try {
            ConfigLoader.load(dir);
        } catch (ConfigException e) {
            String prefix = dir.toString().replace('\\', '/') + "/";
            return e.errors().stream().map(x -> x.toString().replace(prefix, "")).toList();
        }
        throw new AssertionError("config loaded without errors");
    }

    private List<Policy> load(String policies) throws IOException, ConfigException {
        writePolicies(policies);
        return ConfigLoader.load(dir).policies();
    }

    /** A policy p1 on BES in Asia/Karachi whose one phase is written in block style (line 6 on). */
    private static String onePhase(String... phaseLines) {
        StringBuilder b = new StringBuilder("""
                policies:
                  - id: p1
                    class: BES
                    zone: Asia/Karachi
                    phases:
                """);
        String indent = "      - ";
        for (String line : phaseLines) {
            b.append(indent).append(line).append('\n');
            indent = "        ";
        }
        return b.toString();
    }

    @Test
    void aPolicyFileIsReadIntoPhasesWithExactStarts() throws Exception {
        List<Policy> policies = load("""
                policies:
                  - id: p1
                    class: BES
                    operators: [ufone]
                    zone: Asia/Karachi
                    mode: shadow
                    exempt: {subscribers: ["+923001234567"], pools: [127.1.9.0/24]}
                    phases:
                      - {name: notice, from: 2015-07-24T00:00, action: notify}
                      - {name: deadline, from: 2015-12-01, action: block, cut-existing: true}
                """);

        Policy p = policies.get(0);
        assertThat(p.operators()).containsExactly("ufone");
        assertThat(p.mode()).isEqualTo(Policy.Mode.SHADOW);
        assertThat(p.exemptions().subscribers()).containsExactly("+923001234567");
        assertThat(p.phases()).extracting(Phase::name, Phase::from, Phase::start, Phase::action, Phase::cutExisting)
                .containsExactly(
                        tuple("notice", LocalDateTime.parse("2015-07-24T00:00"),
                                Instant.parse("2015-07-23T19:00:00Z"), Action.NOTIFY, false),
                        tuple("deadline", LocalDateTime.parse("2015-12-01T00:00"),
                                Instant.parse("2015-11-30T19:00:00Z"), Action.BLOCK, true));
        assertThat(p.phases().get(1).location().toString()).endsWith("policies/p.yaml:10:9");
    }

    @Test
    void anUnknownClassIsAnErrorWithASuggestion() throws Exception {
        assertThat(errors("""
                policies:
                  - id: p1
                    class: BSE
                    zone: Asia/Karachi
                    phases: [{from: 2015-12-01, action: block}]
                """)).containsExactly("policies/p.yaml:3:12: policy 'p1': unknown class 'BSE'; did you mean 'BES'?"
                + " (expected: one of BES, BBM, BIS, OTHER)");
    }

    @Test
    void anUnknownClassFarFromEveryNameHasNoSuggestion() throws Exception {
        assertThat(errors("""
                policies:
                  - id: p1
                    class: Enterprise
                    zone: Asia/Karachi
                    phases: [{from: 2015-12-01, action: block}]
                """)).containsExactly("policies/p.yaml:3:12: policy 'p1': unknown class 'Enterprise'"
                + " (expected: one of BES, BBM, BIS, OTHER)");
    }

    @Test
    void anUnknownOperatorIsAnError() throws Exception {
        assertThat(errors("""
                policies:
                  - id: p1
                    class: BES
                    operators: [mobilink, jazz]
                    zone: Asia/Karachi
                    phases: [{from: 2015-12-01, action: block}]
                """)).containsExactly("policies/p.yaml:4:27: policy 'p1': unknown operator 'jazz'"
                + " (expected: one of mobilink, ufone, or 'all')");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Asia/Karachii", "PKT", "+25:00", "Karachi"})
    void anUnknownZoneIsAnError(String zone) throws Exception {
        assertThat(errors("""
                policies:
                  - id: p1
                    class: BES
                    zone: %s
                    phases: [{from: 2015-12-01, action: block}]
                """.formatted(zone))).containsExactly("policies/p.yaml:4:11: policy 'p1': unknown time zone '" + zone
                + "' (expected: a tz database zone like Asia/Karachi, or an offset like +05:00)");
    }

    @ParameterizedTest(name = "{0} after 2015-12-01T00:00")
    @ValueSource(strings = {"2015-07-24T00:00", "2015-12-01T00:00", "2015-11-30T23:59:59.999"})
    void aPhaseThatDoesNotStartAfterThePreviousOneIsAnError(String from) throws Exception {
        assertThat(errors("""
                policies:
                  - id: p1
                    class: BES
                    zone: Asia/Karachi
                    phases:
                      - {name: deadline, from: 2015-12-01T00:00, action: block}
                      - {name: notice, from: %s, action: notify}
                """.formatted(from))).containsExactly("policies/p.yaml:7:30: policy 'p1': phase 'notice': starts "
                + from + " (" + java.time.LocalDateTime.parse(from).atZone(java.time.ZoneId.of("Asia/Karachi")).toInstant()
                + "), not after phase 'deadline' (2015-12-01T00:00, 2015-11-30T19:00:00Z in Asia/Karachi)"
                + " (expected: phases in time order, each"
                + " starting later)");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2015-12-01T00:00+05:00", "2015-12-01T00:00Z", "2015-12-01T00:00[Asia/Karachi]",
        "2015-12-01 00:00", "2015-13-01T00:00", "2015-12-01T24:00", "1 Dec 2015"})
    void aFromWithAnOffsetOrMalformedIsAnError(String from) throws Exception {
        assertThat(errors(onePhase("name: deadline", "from: " + from, "action: block")))
                .containsExactly("policies/p.yaml:7:15: policy 'p1': from '" + from + "' is not a local date-time"
                        + " (expected: like 2015-12-01T00:00 or 2015-12-01, in the policy's zone, without an offset)");
    }

    @Test
    void aDateAloneMeansTheStartOfThatDayInThePolicysZone() throws Exception {
        Phase p = load(onePhase("from: 2015-12-01", "action: block")).get(0).phases().get(0);

        assertThat(p.start()).isEqualTo(Instant.parse("2015-11-30T19:00:00Z"));
        assertThat(p.name()).isEqualTo("block");
    }

    @Test
    void anUnknownActionIsAnError() throws Exception {
        assertThat(errors(onePhase("name: deadline", "from: 2015-12-01", "action: deny")))
                .containsExactly("policies/p.yaml:8:17: policy 'p1': unknown action 'deny'"
                        + " (expected: allow, notify, report, throttle or block)");
    }

    @Test
    void aThrottlePhaseWithoutARateIsAnError() throws Exception {
        assertThat(errors(onePhase("name: slow", "from: 2015-12-01", "action: throttle")))
                .containsExactly("policies/p.yaml:6:9: policy 'p1': phase 'slow': throttle needs a rate"
                        + " (expected: rate: like 16KiB/s or 2000 (bytes per second))");
    }

    @ParameterizedTest(name = "{0} = {1} B/s")
    @CsvSource({
        "16KiB/s,  16384",
        "2MB/s,    2000000",
        "2000,     2000",
        "2000/s,   2000",
        "16kB/s,   16000",
        "16KB,     16000",
        "1.5MiB/s, 1572864",
        "512 B/s,  512",
    })
    void aThrottleRateIsReadWithItsUnit(String rate, long bytesPerSecond) throws Exception {
        Phase p = load(onePhase("name: slow", "from: 2015-12-01", "action: throttle", "rate: " + rate))
                .get(0).phases().get(0);

        assertThat(p.bytesPerSecond()).isEqualTo(bytesPerSecond);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fast", "2 Mbit/s", "-5", "16 KiBps"})
    void aRateThatIsNotAByteRateIsAnError(String rate) throws Exception {
        assertThat(errors(onePhase("name: slow", "from: 2015-12-01", "action: throttle", "rate: " + rate)))
                .containsExactly("policies/p.yaml:9:15: policy 'p1': phase 'slow': rate '" + rate + "' is not a byte"
                        + " rate (expected: bytes per second like 2000, or with a unit: 16KiB/s, 2MB/s)");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"0", "0.4", "0 KiB/s"})
    void aRateBelowOneBytePerSecondIsAnError(String rate) throws Exception {
        assertThat(errors(onePhase("name: slow", "from: 2015-12-01", "action: throttle", "rate: " + rate)))
                .containsExactly("policies/p.yaml:9:15: policy 'p1': phase 'slow': rate '" + rate + "' is below"
                        + " 1 byte per second (expected: at least 1 B/s)");
    }

    @Test
    void aRateOnAPhaseThatDoesNotThrottleIsAnError() throws Exception {
        assertThat(errors(onePhase("name: deadline", "from: 2015-12-01", "action: block", "rate: 2000")))
                .containsExactly("policies/p.yaml:9:15: policy 'p1': phase 'deadline': rate applies to throttle"
                        + " phases only (expected: no rate, or action: throttle)");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"allow", "notify", "report"})
    void cutExistingOnAPhaseThatDoesNotBlockIsAnError(String action) throws Exception {
        assertThat(errors(onePhase("name: p", "from: 2015-12-01", "action: " + action, "cut-existing: true")))
                .containsExactly("policies/p.yaml:9:23: policy 'p1': phase 'p': cut-existing applies to block"
                        + " phases only (expected: no cut-existing, or action: block)");
    }

    @Test
    void aDuplicatePolicyIdNamesTheFirstLocation() throws Exception {
        assertThat(errors("""
                policies:
                  - id: p1
                    class: BES
                    zone: Asia/Karachi
                    phases: [{from: 2015-12-01, action: block}]
                  - id: p1
                    class: BBM
                    zone: Asia/Karachi
                    phases: [{from: 2015-12-01, action: block}]
                """)).containsExactly("policies/p.yaml:6:9: policy id 'p1' is already used at policies/p.yaml:2:5"
                + " (expected: unique policy ids)");
    }

    @Test
    void aPolicyIdUsedInAnotherFileIsADuplicateToo() throws Exception {
        write("policies/a.yaml", """
                policies:
                  - {id: p1, class: BBM, zone: UTC, phases: [{from: 2015-12-01, action: notify}]}
                """);

        assertThat(errors("""
                policies:
                  - {id: p1, class: BES, zone: UTC, phases: [{from: 2015-12-01, action: block}]}
                """)).containsExactly("policies/p.yaml:2:10: policy id 'p1' is already used at policies/a.yaml:2:5"
                + " (expected: unique policy ids)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "mod: shadow              | 5:5: unknown key 'mod' in policy; did you mean 'mode'? (expected: one of id, class,"
                + " operators, zone, authority, order, mode, exempt, phases)",
        "exempt: {subscriber: [x]} | 5:14: unknown key 'subscriber' in exempt; did you mean 'subscribers'? (expected:"
                + " one of subscribers, pools)",
        "ordered-by: PTA          | 5:5: unknown key 'ordered-by' in policy (expected: one of id, class, operators,"
                + " zone, authority, order, mode, exempt, phases)",
    })
    void anUnknownPolicyKeyIsAnError(String line, String error) throws Exception {
        assertThat(errors("""
                policies:
                  - id: p1
                    class: BES
                    zone: Asia/Karachi
                    %s
                    phases: [{from: 2015-12-01, action: block}]
                """.formatted(line))).containsExactly("policies/p.yaml:" + error);
    }

    @Test
    void anUnknownPhaseKeyIsAnError() throws Exception {
        assertThat(errors(onePhase("from: 2015-12-01", "action: block", "reasn: closed")))
                .containsExactly("policies/p.yaml:8:9: unknown key 'reasn' in phase; did you mean 'reason'? (expected:"
                        + " one of name, from, action, rate, cut-existing, reason)");
    }

    @Test
    void everyErrorOfAPolicyFileIsReportedAtOnceInFileOrder() throws Exception {
        assertThat(errors("""
                policies:
                  - id: p1
                    class: BSE
                    operators: [jazz]
                    zone: Asia/Karachi
                    phases: [{from: 2015-12-01, action: block}]
                  - id: p2
                    class: BES
                    zone: Asia/Karachi
                    phases: [{from: 2015-12-01, action: deny}]
                """)).extracting(e -> e.substring(0, e.indexOf(": ")))
                .containsExactly("policies/p.yaml:3:12", "policies/p.yaml:4:17", "policies/p.yaml:10:41");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"config", "config/opgate.yaml", "config/pta-2015-as-happened.yaml", "config/uae-2010.yaml",
        "config/uae-2010-as-happened.yaml"})
    void everyBundledWholeConfigLoads(String config) throws ConfigException {
        OpgateConfig cfg = ConfigLoader.load(Path.of(config));

        assertThat(cfg.policies()).isNotEmpty();
        assertThat(cfg.policies()).allSatisfy(p -> assertThat(p.phases()).allSatisfy(
                ph -> assertThat(ph.reason()).isNotBlank()));
    }
}
