package org.opgate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The root command: {@code opgate <subcommand>}. */
@Command(name = "opgate",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Operator-gateway simulator: classify connections by endpoint and enforce dated policies.",
        subcommands = {RunCommand.class, CheckCommand.class, ExplainCommand.class, TimelineCommand.class,
            ReportCommand.class, TestCommand.class, DiffCommand.class, ImportCommand.class, ExportCommand.class,
            ReplayCommand.class, DemoCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:findings (check: shadowed or overlapping rules, policy notes; test: failed cases;"
            + " diff: differences; import: lines left out)",
            "2:usage or config error (import: unreadable input; replay: a capture not read to its end)"})
final class OpgateCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command (expected: one of "
                + String.join(", ", spec.subcommands().keySet()) + ")");
    }
}
