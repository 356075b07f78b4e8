package org.opgate.cli;

/** The exit codes every command uses. */
final class ExitCodes {

    /** Success, nothing to report. */
    static final int OK = 0;
    /** The command ran and found something: shadowed rules, failed tests. */
    static final int FINDINGS = 1;
    /** Bad command line or broken configuration. */
    static final int USAGE = 2;

    private ExitCodes() {
    }
}
