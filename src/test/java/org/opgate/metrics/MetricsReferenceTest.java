package org.opgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.opgate.clock.SimulatedClock;

/** README's metrics table is the documentation of {@link GatewayMeters}; it must not drift. */
final class MetricsReferenceTest {

    private static final Pattern ROW = Pattern.compile("^\\| `(opgate_[a-z_]+)` \\| `(opgate\\.[a-z.]+)` \\| (\\w+) \\| ([^|]+) \\| ([^|]+) \\|$");

    @Test
    void readmeTableListsEveryMeterWithItsTypeTagsAndTicks() throws Exception {
        List<String> rows = Files.readAllLines(Path.of("README.md")).stream()
                .filter(l -> l.startsWith("| `opgate_")).toList();
        assertThat(rows).hasSize(GatewayMeters.values().length);
        for (GatewayMeters m : GatewayMeters.values()) {
            String row = rows.stream().filter(r -> r.contains("`" + m.meterName() + "`")).findFirst().orElseThrow(
                    () -> new AssertionError("README has no row for " + m.meterName()));
            Matcher x = ROW.matcher(row);
            assertThat(x.matches()).as(row).isTrue();
            assertThat(x.group(1)).isEqualTo(m.prometheusName());
            assertThat(x.group(3)).isEqualTo(m.type());
            String tags = m.tags().isEmpty() ? "—" : String.join(", ", m.tags());
            assertThat(x.group(4).trim()).isEqualTo(tags);
            assertThat(x.group(5).trim()).isEqualTo(m.ticks());
        }
    }

    @Test
    void prometheusNamesAreTheOnesTheRegistryWrites() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SimulatedClock clock = new SimulatedClock(Instant.parse("2015-11-30T19:00:00Z"), 1, true);
        try {
            GatewayMetrics metrics = new GatewayMetrics(registry, clock);
            metrics.timed(1000);
            metrics.refused("http", "limit-client", "too many");
            metrics.reloaded(true);
            String scrape = registry.scrape();
            for (GatewayMeters m : List.of(GatewayMeters.CLASSIFY, GatewayMeters.CLOCK, GatewayMeters.REFUSALS,
                    GatewayMeters.LIMITS, GatewayMeters.CONFIG_RELOADS)) {
                assertThat(Arrays.stream(scrape.split("\n")).anyMatch(l -> l.startsWith(m.prometheusName())))
                        .as(m.prometheusName() + " in\n" + scrape).isTrue();
            }
        } finally {
            clock.close();
            registry.close();
        }
    }
}
