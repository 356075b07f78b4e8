package org.opgate.admin;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A request the admin API refuses: the status, what is wrong, and what was expected. */
final class AdminException extends RuntimeException {

    private final HttpResponseStatus status;
    private final String expected;

    AdminException(HttpResponseStatus status, String message, String expected) {
        super(message);
        this.status = status;
        this.expected = expected;
    }

    HttpResponseStatus status() {
        return status;
    }

    String expected() {
        return expected;
    }
}
