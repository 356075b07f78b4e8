package org.opgate.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.config.ConfigError;
import org.opgate.config.ConfigException;

class ScenarioReaderTest {

    private static final Path CONFIG = Path.of("config");

    private static final String VALID = """
            title: t
            zone: Asia/Karachi
            clock: {start: 2015-11-01T00:00, end: 2015-12-10T00:00, rate: 1000}
            policies: []
            events:
              - at: 2015-11-20T00:00
                name: order
                policies: [policies/pta-2015.yaml]
            populations:
              - class: BBM
                subscribers: 10
                via: [sni]
                host: goods.bbm.blackberry.com
                port: 443
                sessions-per-day: 5
                hold: 10m
            """;

    private static Path write(Path dir, String text) throws IOException {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, text);
        return file;
    }

    private static List<String> errors(Path file) {
        try {
            ScenarioReader.read(file, CONFIG);
        } catch (ConfigException e) {
            return e.errors().stream().map(ConfigError::toString).toList();
        }
        throw new AssertionError("no errors in " + file);
    }

    @Test
    void everyShippedScenarioLoads() throws Exception {
        List<Path> files = ScenarioReader.list(CONFIG);
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("india-2010.yaml",
                "pakistan-2015-as-happened.yaml", "pakistan-2015.yaml", "port-3101-overblocking.yaml", "saudi-2010.yaml",
                "uae-2010.yaml");
        for (Path f : files) {
            Scenario s = ScenarioReader.read(f, CONFIG);
            assertThat(s.populations()).as(f.toString()).isNotEmpty();
            assertThat(s.events()).as(f.toString()).isNotEmpty().allSatisfy(e -> assertThat(e.sources()).isNotEmpty());
        }
    }

    @Test
    void anEventRevisionPutsItsPoliciesInForceAndTheStartHasNone(@TempDir Path dir) throws Exception {
        Scenario s = ScenarioReader.read(write(dir, VALID), CONFIG);

        assertThat(s.initial().policies()).isEmpty();
        assertThat(s.revisions()).hasSize(1);
        assertThat(s.revisions().get(0).config().policies()).extracting(p -> p.id()).containsExactly("pta-2015-bes");
        assertThat(s.revisions().get(0).event().at()).isEqualTo(Instant.parse("2015-11-19T19:00:00Z"));
        assertThat(s.initial().version()).isNotEqualTo(s.revisions().get(0).config().version());
    }

    @Test
    void anUnknownKeyIsAnErrorAtItsLineAndColumnWithASuggestion(@TempDir Path dir) throws Exception {
        Path file = write(dir, VALID.replace("    hold: 10m", "    hold: 10m\n    sesions-per-day: 3"));

        assertThat(errors(file)).singleElement().asString()
                .startsWith(file + ":17:5: unknown key 'sesions-per-day' in population; did you mean 'sessions-per-day'?");
    }

    @Test
    void aMissingPolicyFileIsReportedWhereTheEventNamesIt(@TempDir Path dir) throws Exception {
        Path file = write(dir, VALID.replace("[policies/pta-2015.yaml]", "[policies/pta-2016.yaml]"));

        assertThat(errors(file)).singleElement().asString().startsWith(file + ":8:16: file 'config/policies/pta-2016.yaml' does not exist");
    }

    @Test
    void anSniListenerCannotCarryAnotherPort(@TempDir Path dir) throws Exception {
        Path file = write(dir, VALID.replace("port: 443", "port: 3101"));

        assertThat(errors(file)).singleElement().asString().contains("listener 'sni' sends every flow to port 443, not 3101");
    }

    @Test
    void anUnknownOperatorShareIsAnError(@TempDir Path dir) throws Exception {
        Path file = write(dir, VALID.replace("    via: [sni]", "    operators: {mobilink: 2, ufon: 1}\n    via: [sni]"));

        assertThat(errors(file)).singleElement().asString().contains("unknown key 'ufon' in operators; did you mean 'ufone'?");
    }

    @Test
    void eventsOutOfOrderAreAnError(@TempDir Path dir) throws Exception {
        Path file = write(dir, VALID.replace("""
                    policies: [policies/pta-2015.yaml]
                """, """
                    policies: [policies/pta-2015.yaml]
                  - {at: 2015-11-10T00:00, name: earlier}
                """));

        assertThatThrownBy(() -> ScenarioReader.read(file, CONFIG)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("event 'earlier' at 2015-11-09T19:00:00Z comes before the one above it");
    }
}
