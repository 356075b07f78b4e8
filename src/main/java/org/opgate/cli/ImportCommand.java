package org.opgate.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.opgate.interop.ImportFormat;
import org.opgate.interop.ImportResult;
import org.opgate.interop.Note;
import org.opgate.interop.RuleImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code opgate import --format ndpi|squid|haproxy-map FILE}: a foreign rule list as an opgate
 * class file, with what could not be carried over on stderr.
 *
 * <pre>
 * $ opgate import --format squid --class BES bes.acl --output config/classes/bes-imported.yaml
 * bes.acl:4: dst '10.0.0.1-10.0.0.9' is an address range (expected: CIDR blocks; split the range)
 * opgate import: 3 rules from bes.acl, 1 line or item left out
 * </pre>
 */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Convert an nDPI protocol file, a Squid ACL file or an HAProxy map file into an opgate class file.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every line imported", "1:some lines or items left out (listed on stderr)",
            "2:usage error or unreadable input"})
final class ImportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--format", required = true, paramLabel = "FORMAT",
            description = "ndpi, squid or haproxy-map.")
    String format;

    @Parameters(index = "0", paramLabel = "FILE", description = "The rule list to read.")
    Path file;

    @Option(names = "--class", paramLabel = "NAME",
            description = "Class of every imported rule; required for squid, overrides the file's classes otherwise.")
    String className;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the class file here. Default: stdout.")
    Path output;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        ImportFormat f = switch (format) {
            case "ndpi" -> ImportFormat.NDPI;
            case "squid" -> ImportFormat.SQUID;
            case "haproxy-map" -> ImportFormat.HAPROXY_MAP;
            default -> throw new UsageException("--format '" + format + "' (expected: ndpi, squid or haproxy-map)");
        };
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("opgate import: cannot read " + file + ": " + IoErrors.why(e) + " (expected: a readable UTF-8 text file)");
            return ExitCodes.USAGE;
        }
        ImportResult result;
        try {
            result = RuleImporter.read(f, file.toString(), lines, className);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        String yaml = result.toYaml();
        if (output == null) {
            spec.commandLine().getOut().print(yaml);
            spec.commandLine().getOut().flush();
        } else {
            try {
                Files.writeString(output, yaml, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UsageException("cannot write " + output + ": " + IoErrors.why(e));
            }
        }
        for (Note n : result.notes()) {
            err.println(n);
        }
        int left = result.notes().size();
        err.println("opgate import: " + result.rules().size() + " rule" + (result.rules().size() == 1 ? "" : "s")
                + " from " + file + ", " + (left == 0 ? "nothing" : left + " line" + (left == 1 ? "" : "s")
                + " or item" + (left == 1 ? "" : "s")) + " left out" + (output == null ? "" : "; wrote " + output));
        return result.complete() ? ExitCodes.OK : ExitCodes.FINDINGS;
    }
}
