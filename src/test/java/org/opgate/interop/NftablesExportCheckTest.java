package org.opgate.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.config.ConfigLoader;
import org.opgate.testing.Tools;

/**
 * {@code nft -c} (check only, nothing loaded) accepts the nftables export of the bundled config.
 * Skipped without nft unless {@code OPGATE_REQUIRE_TOOLS=1}; skipped when nft cannot check even an
 * empty table (no netlink access in the sandbox), since that says nothing about the export.
 */
final class NftablesExportCheckTest {

    @Test
    void nftCheckAcceptsTheBundledExport(@TempDir Path dir) throws Exception {
        Path nft = Tools.require("nft");
        Path empty = dir.resolve("empty.nft");
        Files.writeString(empty, "table inet opgate_probe {\n}\n");
        Tools.Result probe = Tools.run(Duration.ofSeconds(30), "env", "TZ=UTC", nft.toString(), "-c", "-f", empty.toString());
        Assumptions.assumeTrue(probe.exitCode() == 0, "nft -c cannot check an empty table here: " + probe.stderr());
        Path ruleset = dir.resolve("opgate.nft");
        Files.writeString(ruleset, NftablesExporter.export(ConfigLoader.load(Path.of("config"))).text());
        Tools.Result r = Tools.run(Duration.ofSeconds(30), "env", "TZ=UTC", nft.toString(), "-c", "-f", ruleset.toString());
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
    }
}
