package org.opgate.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.opgate.config.BindAddress;
import org.opgate.config.ListenerSpec;
import org.opgate.config.OpgateConfig;
import org.opgate.flow.ListenerKind;
import org.opgate.interop.Export;
import org.opgate.interop.HaproxyExporter;
import org.opgate.interop.NftablesExporter;
import org.opgate.interop.Note;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code opgate export --format haproxy|nftables}: the classes and dated policies of a config as
 * an HAProxy configuration or an nftables ruleset; what the target cannot express goes to stderr.
 *
 * <pre>
 * $ opgate export --format haproxy --config config --output opgate.haproxy.cfg
 * $ haproxy -c -f opgate.haproxy.cfg
 * </pre>
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a config's classes and dated policies as an HAProxy configuration or an nftables ruleset.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:exported (notes, if any, on stderr)", "2:usage or config error"})
final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "haproxy or nftables.")
    String format;

    @Option(names = "--config", paramLabel = "DIR", defaultValue = ConfigOptions.DEFAULT_DIR,
            description = "Config directory (holding opgate.yaml) or file. Default: $OPGATE_CONFIG, else ./config.")
    Path config;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the result here. Default: stdout.")
    Path output;

    @Option(names = "--bind", paramLabel = "ADDR:PORT",
            description = "haproxy: the frontend's bind address. Default: the config's first sni listener, else 127.0.0.1:8443.")
    String bind;

    @Option(names = "--upstream", paramLabel = "ADDR:PORT",
            description = "haproxy: the default backend's server. Default: 127.0.0.1:<sni listener's upstream-port, else 443>.")
    String upstream;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        if (!format.equals("haproxy") && !format.equals("nftables")) {
            throw new UsageException("--format '" + format + "' (expected: haproxy or nftables)");
        }
        OpgateConfig cfg = ConfigOptions.load(config, "export", err);
        if (cfg == null) {
            return ExitCodes.USAGE;
        }
        Export export;
        if (format.equals("haproxy")) {
            ListenerSpec sni = cfg.listeners().stream().filter(l -> l.kind() == ListenerKind.SNI).findFirst().orElse(null);
            if (bind == null && sni != null && sni.bind().port() == 0) {
                throw new UsageException("the config's sni listener '" + sni.name() + "' binds port 0 (a free port chosen"
                        + " at start), which HAProxy cannot bind (expected: --bind ADDR:PORT)");
            }
            String b = bind != null ? haproxyAddress("--bind", bind) : sni != null ? sni.bind().toString() : "127.0.0.1:8443";
            String u = upstream != null ? haproxyAddress("--upstream", upstream)
                    : "127.0.0.1:" + (sni != null ? sni.upstreamPort() : 443);
            export = HaproxyExporter.export(cfg, b, u);
        } else {
            export = NftablesExporter.export(cfg);
        }
        if (output == null) {
            spec.commandLine().getOut().print(export.text());
            spec.commandLine().getOut().flush();
        } else {
            try {
                Files.writeString(output, export.text(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UsageException("cannot write " + output + ": " + IoErrors.why(e));
            }
        }
        for (Note n : export.notes()) {
            err.println(n);
        }
        err.println("opgate export: " + format + " from " + config + ", " + export.notes().size() + " note"
                + (export.notes().size() == 1 ? "" : "s") + (output == null ? "" : "; wrote " + output));
        return ExitCodes.OK;
    }

    /**
     * {@code text} checked as an address HAProxy takes: an IP literal and a port 1..65535 (it binds
     * no port 0), so a typo is a usage error here and not a config that {@code haproxy -c} refuses.
     */
    private static String haproxyAddress(String option, String text) {
        String expected = " (expected: ADDR:PORT like 127.0.0.1:8443 or [::1]:8443, port 1..65535)";
        int colon = text.lastIndexOf(':');
        String port = colon < 0 ? "" : text.substring(colon + 1);
        if (port.matches("[0-9]{1,9}") && (Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535)) {
            throw new UsageException(option + " '" + text + "': port " + Integer.parseInt(port) + " is out of range" + expected);
        }
        try {
            return BindAddress.parse(text).toString();
        } catch (IllegalArgumentException e) {
            String why = e.getMessage();
            int paren = why.indexOf(" (expected: ");
            throw new UsageException(option + " " + (paren < 0 ? why : why.substring(0, paren)) + expected);
        }
    }
}
