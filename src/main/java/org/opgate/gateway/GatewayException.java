package org.opgate.gateway;

/** The gateway could not start: one clear sentence, such as a port already in use. */
public final class GatewayException extends Exception {

    public GatewayException(String message, Throwable cause) {
        super(message, cause);
    }
}
