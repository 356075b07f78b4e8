package org.opgate.cli;

/** A bad value on the command line; printed as one line, exit code 2. */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }
}
