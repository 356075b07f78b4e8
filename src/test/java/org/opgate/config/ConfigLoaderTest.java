package org.opgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.classify.EndpointRule;
import org.opgate.flow.ListenerKind;
import org.opgate.policy.Operator;

final class ConfigLoaderTest {

    @TempDir
    Path dir;

    private static final String MAIN = "classes: [classes/c.yaml]\n";

    private void write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private List<String> errors() {
        try {
            ConfigLoader.load(dir);
        } catch (ConfigException e) {
            String prefix = dir.toString().replace('\\', '/') + "/";
            return e.errors().stream().map(x -> x.toString().replace(prefix, "")).toList();
        }
        throw new AssertionError("config loaded without errors");
    }

    @Test
    void bundledConfigLoads() throws ConfigException {
        OpgateConfig cfg = ConfigLoader.load(Path.of("config"));
        assertThat(cfg.rules().classes()).extracting(c -> c.name()).containsExactly("BES", "BBM", "BIS");
        assertThat(cfg.operators()).extracting(Operator::id)
                .containsExactly("mobilink", "ufone", "telenor", "zong", "warid");
        assertThat(cfg.listeners()).extracting(ListenerSpec::kind)
                .containsExactly(ListenerKind.HTTP, ListenerKind.SOCKS5, ListenerKind.SNI);
        assertThat(cfg.listeners()).allSatisfy(l -> assertThat(l.bind().host().isLoopback()).isTrue());
        assertThat(cfg.admin().bind().host().isLoopback()).isTrue();
    }

    @Test
    void bundledModernClassFileLoadsAfterTheDefaultOne() throws Exception {
        String main = Files.readString(Path.of("config/opgate.yaml"))
                .replace("  # - classes/blackberry-modern.yaml", "  - classes/blackberry-modern.yaml");
        assertThat(main).contains("  - classes/blackberry-modern.yaml");
        for (String f : List.of("classes/blackberry.yaml", "classes/blackberry-modern.yaml", "policies/pta-2015.yaml")) {
            write(f, Files.readString(Path.of("config", f)));
        }
        write("opgate.yaml", main);
        OpgateConfig cfg = ConfigLoader.load(dir);
        List<EndpointRule> rules = cfg.rules().rules();
        assertThat(rules.get(rules.size() - 1).id()).isEqualTo("bes12-bbsecure");
    }

    @Test
    void bundledConfigDocumentsEveryLimitWithItsDefault() throws Exception {
        // The commented-out limits block of config/opgate.yaml, uncommented, must name every limit
        // and load to the defaults that apply without it.
        List<String> lines = Files.readAllLines(Path.of("config/opgate.yaml"));
        int start = lines.indexOf("# limits:");
        assertThat(start).as("a commented '# limits:' section in config/opgate.yaml").isNotNegative();
        List<String> block = lines.subList(start, lines.size()).stream()
                .takeWhile(l -> l.equals("# limits:") || l.startsWith("#   ")).map(l -> l.substring(2)).toList();
        assertThat(block).hasSize(1 + Limits.class.getRecordComponents().length);
        for (String f : List.of("classes/blackberry.yaml", "policies/pta-2015.yaml")) {
            write(f, Files.readString(Path.of("config", f)));
        }
        write("opgate.yaml", "classes: [classes/blackberry.yaml]\npolicies: [policies/pta-2015.yaml]\n"
                + String.join("\n", block) + "\n");

        assertThat(ConfigLoader.load(dir).limits()).isEqualTo(Limits.DEFAULTS);
    }

    @Test
    void rulesKeepFileOrderAcrossFilesAndClassBlocks() throws Exception {
        write("opgate.yaml", "classes: [classes/a.yaml, classes/b.yaml]\n");
        write("classes/a.yaml", """
                classes:
                  - name: BES
                    rules: [{id: one, ports: 1}]
                  - name: BIS
                    rules: [{id: two, ports: 2}]
                """);
        write("classes/b.yaml", """
                classes:
                  - name: BES
                    rules: [{id: three, ports: 3}]
                """);
        OpgateConfig cfg = ConfigLoader.load(dir);
        assertThat(cfg.rules().rules()).extracting(EndpointRule::id).containsExactly("one", "two", "three");
        assertThat(cfg.rules().classes()).hasSize(2);
    }

    @Test
    void globEntryExpandsInFileNameOrder() throws Exception {
        write("opgate.yaml", "classes: ['classes/*.yaml']\n");
        write("classes/20-b.yaml", "classes: [{name: B, rules: [{id: b, ports: 2}]}]\n");
        write("classes/10-a.yaml", "classes: [{name: A, rules: [{id: a, ports: 1}]}]\n");
        assertThat(ConfigLoader.load(dir).rules().rules()).extracting(EndpointRule::id).containsExactly("a", "b");
    }

    @Test
    void ruleLocationPointsAtTheRuleInItsFile() throws Exception {
        write("opgate.yaml", MAIN);
        write("classes/c.yaml", "classes:\n  - name: BES\n    rules:\n      - id: srp\n        host: x.example\n");
        EndpointRule r = ConfigLoader.load(dir).rules().rules().get(0);
        assertThat(r.location().line()).isEqualTo(4);
        assertThat(r.location().column()).isEqualTo(9);
        assertThat(r.location().file()).endsWith("classes/c.yaml");
    }

    @Test
    void everyErrorIsReportedWithFileLineAndColumn() throws Exception {
        write("opgate.yaml", MAIN);
        write("classes/c.yaml", """
                classes:
                  - name: BES
                    rules:
                      - id: a
                        cidr: 10.0.0.0/33
                      - id: b
                        host: "bad..name"
                      - id: c
                        ports: [70000]
                """);
        assertThat(errors()).containsExactly(
                "classes/c.yaml:5:15: rule 'a': cidr '10.0.0.0/33': prefix length 33 (expected: 0..32)",
                "classes/c.yaml:7:15: rule 'b': host 'bad..name' is not a host name: empty label"
                        + " (expected: labels separated by single dots)",
                "classes/c.yaml:9:17: rule 'c': port '70000' (expected: 1..65535, ranges low-high)");
    }

    @Test
    void unknownKeyIsAnErrorWithASuggestion() throws Exception {
        write("opgate.yaml", MAIN);
        write("classes/c.yaml", "classes:\n  - name: BES\n    rules:\n      - host: a.example\n        prots: [1]\n");
        assertThat(errors()).containsExactly("classes/c.yaml:5:9: unknown key 'prots' in rule; did you mean 'ports'?"
                + " (expected: one of id, host, sni, cidr, ports)");
    }

    @Test
    void duplicateKeyIsAnError() throws Exception {
        write("opgate.yaml", MAIN);
        write("classes/c.yaml", "classes:\n  - name: BES\n    rules:\n      - host: a.example\n        host: b.example\n");
        assertThat(errors()).singleElement().asString().contains("c.yaml:5:9: duplicate key 'host'");
    }

    @Test
    void yamlSyntaxErrorNamesItsPosition() throws Exception {
        write("opgate.yaml", MAIN);
        write("classes/c.yaml", "classes:\n  - name: [BES\n");
        assertThat(errors()).singleElement().asString().startsWith("classes/c.yaml:3:1: YAML syntax:");
    }

    @Test
    void missingClassFileIsReportedWhereItIsReferenced() throws Exception {
        write("opgate.yaml", "classes:\n  - classes/none.yaml\n");
        assertThat(errors()).singleElement().asString()
                .startsWith("opgate.yaml:2:5: file '").contains("classes/none.yaml' does not exist");
    }

    @Test
    void duplicateRuleIdNamesTheFirstLocation() throws Exception {
        write("opgate.yaml", MAIN);
        write("classes/c.yaml", "classes:\n  - name: BES\n    rules:\n      - {id: x, ports: 1}\n      - {id: x, ports: 2}\n");
        assertThat(errors()).singleElement().asString()
                .contains("c.yaml:5:14: rule id 'x' is already used at ").contains("c.yaml:4:9");
    }

    @Test
    void ruleWithoutFieldsIsAnError() throws Exception {
        write("opgate.yaml", MAIN);
        write("classes/c.yaml", "classes:\n  - name: BES\n    rules:\n      - id: empty\n");
        assertThat(errors()).containsExactly("classes/c.yaml:4:9: rule 'empty': no match fields"
                + " (expected: at least one of host, sni, cidr, ports)");
    }

    @Test
    void otherIsAReservedClassName() throws Exception {
        write("opgate.yaml", MAIN);
        write("classes/c.yaml", "classes:\n  - name: OTHER\n");
        assertThat(errors()).singleElement().asString().contains("'OTHER' is reserved");
    }

    @Test
    void nonLoopbackListenerNeedsAllowRemote() throws Exception {
        write("opgate.yaml", MAIN + "listeners:\n  - {name: h, kind: http, bind: 0.0.0.0:3128}\n");
        write("classes/c.yaml", "classes: []\n");
        assertThat(errors()).singleElement().asString().contains("not a loopback address");
        write("opgate.yaml", MAIN + "listeners:\n  - {name: h, kind: http, bind: 0.0.0.0:3128, allow-remote: true}\n");
        assertThat(ConfigLoader.load(dir).listeners()).hasSize(1);
    }

    @Test
    void adminWithoutASectionListensOnLoopback() throws Exception {
        write("opgate.yaml", MAIN);
        write("classes/c.yaml", "classes: []\n");

        assertThat(ConfigLoader.load(dir).admin().bind().host().isLoopback()).isTrue();
    }

    @Test
    void nonLoopbackAdminNeedsAllowRemote() throws Exception {
        write("opgate.yaml", MAIN + "admin:\n  bind: 0.0.0.0:9090\n");
        write("classes/c.yaml", "classes: []\n");
        assertThat(errors()).singleElement().asString().contains("not a loopback address");
        write("opgate.yaml", MAIN + "admin:\n  bind: 0.0.0.0:9090\n  allow-remote: true\n");
        assertThat(ConfigLoader.load(dir).admin().bind().host().isLoopback()).isFalse();
    }

    @Test
    void twoListenersOnOneAddressAreAnError() throws Exception {
        write("opgate.yaml", MAIN + "listeners:\n  - {name: a, kind: http, bind: 127.0.0.1:3128}\n"
                + "  - {name: b, kind: socks5, bind: 127.0.0.1:3128}\n");
        write("classes/c.yaml", "classes: []\n");
        assertThat(errors()).singleElement().asString().contains("binds 127.0.0.1:3128, as does 'a'");
    }

    @Test
    void listenerWithUnknownOperatorIsAnError() throws Exception {
        write("opgate.yaml", MAIN + "operators: [{id: ufone}]\n"
                + "listeners:\n  - {name: a, kind: http, bind: 127.0.0.1:1, operator: jazz}\n");
        write("classes/c.yaml", "classes: []\n");
        assertThat(errors()).singleElement().asString().contains("unknown operator 'jazz'");
    }

    @Test
    void overlappingPoolsOfTwoOperatorsAreAnError() throws Exception {
        write("opgate.yaml", MAIN + "operators:\n  - {id: a, pools: [127.1.0.0/16]}\n  - {id: b, pools: [127.1.2.0/24]}\n");
        write("classes/c.yaml", "classes: []\n");
        assertThat(errors()).singleElement().asString().contains("pool 127.1.2.0/24 of operator 'b' overlaps");
    }

    @Test
    void simulatedClockNeedsAStartInstant() throws Exception {
        write("opgate.yaml", MAIN + "clock:\n  mode: simulated\n  rate: 86400\n");
        write("classes/c.yaml", "classes: []\n");
        assertThat(errors()).singleElement().asString().contains("simulated clock has no 'start'");
    }

    @Test
    void simulatedClockStartOutOfTheClocksRangeIsAnError() throws Exception {
        write("opgate.yaml", MAIN + "clock: {mode: simulated, start: '+10000-01-01T00:00:00Z'}\n");
        write("classes/c.yaml", "classes: []\n");
        assertThat(errors()).singleElement().asString().contains("clock.start +10000-01-01T00:00:00Z is out of the clock's range");
    }

    @Test
    void simulatedClockSettingsAreRead() throws Exception {
        write("opgate.yaml", MAIN + "clock: {mode: simulated, start: '2015-12-01T00:00:00+05:00', rate: 86400}\n");
        write("classes/c.yaml", "classes: []\n");
        ClockSettings c = ConfigLoader.load(dir).clock();
        assertThat(c.simulated()).isTrue();
        assertThat(c.start()).hasToString("2015-11-30T19:00:00Z");
        assertThat(c.rate()).isEqualTo(86400);
    }

    @Test
    void versionChangesWhenARuleFileChanges() throws Exception {
        write("opgate.yaml", MAIN);
        write("classes/c.yaml", "classes: [{name: A, rules: [{ports: 1}]}]\n");
        String v1 = ConfigLoader.load(dir).version();
        write("classes/c.yaml", "classes: [{name: A, rules: [{ports: 2}]}]\n");
        assertThat(ConfigLoader.load(dir).version()).isNotEqualTo(v1).hasSize(12);
    }

    @Test
    void emptyFileIsAnError() throws Exception {
        write("opgate.yaml", "");
        assertThat(errors()).containsExactly("opgate.yaml:1:1: file is empty (expected: a YAML mapping)");
    }

    @Test
    void missingDirectoryIsAnError() {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void classFileOutsideTheConfigDirectoryIsRefused() throws Exception {
        write("opgate.yaml", "classes: [../x.yaml]\n");
        assertThat(errors()).singleElement().asString().contains("outside the config directory");
    }
}
