package org.opgate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

final class ToolsTest {

    private static final String MISSING = "opgate-no-such-tool";

    @Test
    void findLocatesAProgramOnThePath() {
        assertThat(Tools.find("sh")).isNotNull();
        assertThat(Tools.find(MISSING)).isNull();
    }

    @Test
    void requireOfAMissingToolSkipsOrFailsAsTheEnvironmentSays() {
        boolean strict = "1".equals(System.getenv(Tools.REQUIRE_ENV));

        assertThatThrownBy(() -> Tools.require(MISSING))
                .isInstanceOf(strict ? AssertionFailedError.class : TestAbortedException.class)
                .hasMessageContaining(MISSING)
                .hasMessageContaining(Tools.REQUIRE_ENV);
    }

    @Test
    void runReportsExitCodeAndBothOutputs() {
        Tools.Result r = Tools.run(Duration.ofSeconds(10), "sh", "-c", "echo out; echo err >&2; exit 3");

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThat(r.stderr()).isEqualTo("err\n");
    }
}
