package org.opgate.replay;

/**
 * A capture that cannot be read further: truncated, corrupt, or in a format or link type this
 * reader does not know. The message names the packet or block and says what was expected.
 */
public final class CaptureException extends Exception {

    private static final long serialVersionUID = 1L;

    public CaptureException(String message) {
        super(message);
    }
}
