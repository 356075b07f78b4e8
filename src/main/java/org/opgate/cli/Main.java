package org.opgate.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Entry point: builds the command line, runs it, exits with its code.
 * Exit codes: 0 ok, 1 findings, 2 usage or config error.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(out, err, args));
    }

    /** Runs one command line; tests call this directly. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cmd = new CommandLine(new OpgateCommand());
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println(c.getCommandName().equals("opgate") ? "opgate: " + ex.getMessage()
                    : "opgate " + c.getCommandName() + ": " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitCodes.USAGE;
        });
        cmd.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof UsageException u) {
                c.getErr().println("opgate " + c.getCommandName() + ": " + u.getMessage());
                return ExitCodes.USAGE;
            }
            c.getErr().println("opgate " + c.getCommandName() + ": internal error: " + ex);
            if (System.getenv("OPGATE_DEBUG") != null) {
                LoggerFactory.getLogger(Main.class).error("internal error in opgate {}", c.getCommandName(), ex);
            } else {
                c.getErr().println("(set OPGATE_DEBUG=1 for the stack trace, and please report it)");
            }
            return ExitCodes.USAGE;
        });
        int code = cmd.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
